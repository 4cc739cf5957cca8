package io.rosetta.routes;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The integrator routes: Camel YAML DSL files in the routes folder ({@code etc/routes/}) and what became
 * of each, with the counters of the {@code rosetta} Camel component. Published as a service.
 */
public interface IntegratorRoutes {

    /** What became of a route file's last version. */
    enum State {
        /** Its routes run. */
        RUNNING,
        /** It could not be loaded and no routes of it run. */
        FAILED,
        /** Its last version could not be loaded; the routes of the version before keep running. */
        PREVIOUS_VERSION_RUNNING
    }

    /**
     * One route file.
     *
     * @param routeIds the routes of it that run
     * @param error why its last version could not be loaded, or {@code null}
     */
    record RouteFile(Path file, State state, List<String> routeIds, String error, Instant changed) {
        public RouteFile {
            routeIds = List.copyOf(routeIds);
        }
    }

    /** The folder watched for {@code *.yaml} files. */
    Path folder();

    /** Every route file seen and not deleted, by name. */
    List<RouteFile> files();

    /** Versions of route files loaded (first loads and reloads). */
    long filesLoaded();

    /** Versions of route files that could not be loaded. */
    long filesFailed();

    /** Route files deleted (their routes removed). */
    long filesRemoved();

    /** Twin events handed to {@code rosetta:events} consumers' routes. */
    long eventsDelivered();

    /** Events whose route failed (after the route's own error handling). */
    long eventsFailed();

    /** Merge patches applied by {@code rosetta:patch} producers. */
    long patchesApplied();

    /** Merge patches refused (no thing id, invalid JSON, refused by the registry). */
    long patchesRefused();
}
