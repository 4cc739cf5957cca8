package io.rosetta.routes.internal;

import io.rosetta.core.registry.ThingFilters;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.routes.IntegratorRoutes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrator routes in Rosetta's Camel context: adds the {@code rosetta} component and runs the Camel YAML DSL files of
 * the routes folder ({@code ${karaf.etc}/routes/} by default). Karaf's File Install watches the folder (this component
 * asks it to through a factory configuration, as the model registry does for {@code etc/models}) and hands the files to
 * this {@link ArtifactInstaller}: added, changed and deleted files are loaded, reloaded and removed while the server runs.
 * When the RQL filter service (the search bundle) comes, files refused for lack of it are loaded again.
 */
@Component(service = {IntegratorRoutes.class, ArtifactInstaller.class}, configurationPid = IntegratorRoutesComponent.PID)
@Designate(ocd = IntegratorRoutesComponent.Config.class)
public final class IntegratorRoutesComponent implements IntegratorRoutes, ArtifactInstaller {

    public static final String PID = "io.rosetta.routes";
    static final String FILEINSTALL_FACTORY = "org.apache.felix.fileinstall";
    static final String FILEINSTALL_NAME = "rosetta-routes";

    private static final Logger LOG = LoggerFactory.getLogger(IntegratorRoutesComponent.class);

    @ObjectClassDefinition(name = "Rosetta integrator routes", description = "Camel YAML DSL route files and the rosetta Camel component")
    public @interface Config {
        @AttributeDefinition(description = "Folder watched for *.yaml route files; empty means ${karaf.etc}/routes")
        String folder() default "";

        @AttributeDefinition(description = "Seconds between two looks at the folder")
        int pollSeconds() default 2;
    }

    private final CamelContext camel;
    private final RosettaComponent component;
    private final RouteCounters counters = new RouteCounters();
    private final RouteFiles files;
    private final Configuration watcher;
    private volatile ThingFilters filters;

    @Activate
    public IntegratorRoutesComponent(@Reference(target = "(camel.context.name=rosetta)") CamelContext camel,
            @Reference TwinRegistry registry, @Reference ConfigurationAdmin configurationAdmin, Config config) {
        this.camel = camel;
        this.component = new RosettaComponent(registry, filters, counters);
        camel.addComponent(RosettaComponent.NAME, component);
        this.files = new RouteFiles(camel, folderOf(config.folder()));
        files.loadAll();
        this.watcher = watch(configurationAdmin, files.folder(), config.pollSeconds());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setThingFilters(ThingFilters f) {
        this.filters = f;
        RosettaComponent c = component;
        if (c != null) {
            c.setFilters(f);
            files.retryFailed();
        }
    }

    void unsetThingFilters(ThingFilters f) {
        if (filters == f) {
            filters = null;
            RosettaComponent c = component;
            if (c != null) {
                c.setFilters(null);
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (watcher != null) {
            try {
                watcher.delete();
            } catch (IOException | RuntimeException e) {
                LOG.debug("The File Install configuration of the routes folder is gone already: {}", e.toString());
            }
        }
        files.close();
        try {
            camel.removeComponent(RosettaComponent.NAME);
        } catch (RuntimeException e) {
            LOG.debug("The rosetta component was removed already: {}", e.toString());
        }
    }

    // ---- ArtifactInstaller: the routes folder

    @Override
    public boolean canHandle(File artifact) {
        Path file = artifact.toPath().toAbsolutePath().normalize();
        return RouteFiles.isRouteFile(file) && files.folder().equals(file.getParent());
    }

    @Override
    public void install(File artifact) {
        files.load(artifact.toPath());
    }

    @Override
    public void update(File artifact) {
        files.load(artifact.toPath());
    }

    @Override
    public void uninstall(File artifact) {
        files.remove(artifact.toPath());
    }

    // ---- IntegratorRoutes

    @Override
    public Path folder() {
        return files.folder();
    }

    @Override
    public List<RouteFile> files() {
        return files.files();
    }

    @Override
    public long filesLoaded() {
        return files.loaded();
    }

    @Override
    public long filesFailed() {
        return files.failed();
    }

    @Override
    public long filesRemoved() {
        return files.removed();
    }

    @Override
    public long eventsDelivered() {
        return counters.eventsDelivered.sum();
    }

    @Override
    public long eventsFailed() {
        return counters.eventsFailed.sum();
    }

    @Override
    public long patchesApplied() {
        return counters.patchesApplied.sum();
    }

    @Override
    public long patchesRefused() {
        return counters.patchesRefused.sum();
    }

    /** Asks File Install to watch the folder, through a factory configuration of File Install. */
    private static Configuration watch(ConfigurationAdmin cm, Path dir, int pollSeconds) {
        try {
            Configuration c = cm.getFactoryConfiguration(FILEINSTALL_FACTORY, FILEINSTALL_NAME, "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("felix.fileinstall.dir", dir.toString());
            p.put("felix.fileinstall.filter", ".*\\.yaml");
            p.put("felix.fileinstall.poll", String.valueOf(Math.max(1, pollSeconds) * 1000L));
            p.put("felix.fileinstall.noInitialDelay", "true");
            p.put("felix.fileinstall.subdir.mode", "skip");
            p.put("felix.fileinstall.log.level", "2");
            c.updateIfDifferent(p);
            return c;
        } catch (IOException | RuntimeException e) {
            LOG.warn("The routes folder {} is loaded at start but not watched: {}", dir, e.toString());
            return null;
        }
    }

    private static Path folderOf(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip()).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("karaf.etc", "etc"), "routes").toAbsolutePath().normalize();
    }
}
