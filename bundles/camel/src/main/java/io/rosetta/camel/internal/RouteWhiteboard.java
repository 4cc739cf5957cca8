package io.rosetta.camel.internal;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.ComponentServiceObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the routes of each published builder to the runtime and removes exactly those routes when
 * the builder goes. A builder that fails is logged and skipped; it never stops the others.
 */
final class RouteWhiteboard {

    private static final Logger LOG = LoggerFactory.getLogger(RouteWhiteboard.class);

    private record Added(RoutesBuilder instance, Set<String> routeIds, String name) {
    }

    private final CamelRuntime runtime;
    private final Map<ComponentServiceObjects<RoutesBuilder>, Added> added = new IdentityHashMap<>();
    private boolean closed;

    RouteWhiteboard(CamelRuntime runtime) {
        this.runtime = runtime;
    }

    synchronized void add(ComponentServiceObjects<RoutesBuilder> objects, String name) {
        if (closed || added.containsKey(objects)) {
            return;
        }
        RoutesBuilder builder = objects.getService();
        if (builder == null) {
            LOG.warn("Routes of {} not added: the service is gone", name);
            return;
        }
        try {
            Set<String> ids = runtime.addRoutes(builder);
            added.put(objects, new Added(builder, ids, name));
            LOG.info("Added routes {} of {}", ids, name);
        } catch (Exception | LinkageError e) {
            LOG.error("Routes of {} could not be added: {}", name, e.toString(), e);
            objects.ungetService(builder);
        }
    }

    synchronized void remove(ComponentServiceObjects<RoutesBuilder> objects) {
        Added entry = added.remove(objects);
        if (entry == null) {
            return;
        }
        runtime.removeRoutes(entry.routeIds());
        runtime.forgetRests(entry.instance());
        LOG.info("Removed routes {} of {}", entry.routeIds(), entry.name());
        release(objects, entry);
    }

    /** Removes every builder's routes and stops the runtime. */
    synchronized void close() {
        closed = true;
        for (var e : added.entrySet()) {
            runtime.removeRoutes(e.getValue().routeIds());
            release(e.getKey(), e.getValue());
        }
        added.clear();
        runtime.stop();
    }

    synchronized Set<String> routeIds(ComponentServiceObjects<RoutesBuilder> objects) {
        Added entry = added.get(objects);
        return entry == null ? Set.of() : entry.routeIds();
    }

    private static void release(ComponentServiceObjects<RoutesBuilder> objects, Added entry) {
        try {
            objects.ungetService(entry.instance());
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.debug("Builder {} was released already: {}", entry.name(), e.toString());
        }
    }
}
