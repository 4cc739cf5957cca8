package io.rosetta.models.internal;

import io.rosetta.models.ModelLoadStats;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry. It loads WoT Thing Models from two places:
 * <ul>
 * <li>every active bundle whose manifest has a {@value #HEADER} header (a comma-separated list of
 * folders inside the bundle, e.g. {@code models/}): all {@code *.tm.jsonld} files below them, for
 * as long as the bundle is active (the extender pattern);</li>
 * <li>{@code *.tm.jsonld} files in the models folder ({@code ${karaf.etc}/models/} by default),
 * added, changed and removed at runtime. Karaf's File Install watches the folder (the registry
 * asks it to through a factory configuration) and hands the files to this component, which is an
 * {@link ArtifactInstaller}; files dropped into {@code deploy/} are taken too.</li>
 * </ul>
 * A malformed file is logged in one line, counted ({@link #malformedFiles()}) and skipped.
 */
@Component(service = {ModelRegistry.class, ModelLoadStats.class, ArtifactInstaller.class},
        configurationPid = ModelRegistryImpl.PID)
@Designate(ocd = ModelRegistryImpl.Config.class)
public final class ModelRegistryImpl implements ModelRegistry, ModelLoadStats, ArtifactInstaller {

    public static final String PID = "io.rosetta.models";
    /** The manifest header of a model bundle. */
    public static final String HEADER = "Rosetta-Models";

    static final String FILEINSTALL_FACTORY = "org.apache.felix.fileinstall";
    static final String FILEINSTALL_NAME = "rosetta-models";

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryImpl.class);

    @ObjectClassDefinition(name = "Rosetta model registry", description = "Where the WoT Thing Models come from.")
    public @interface Config {
        @AttributeDefinition(description = "Folder watched for *.tm.jsonld files; empty means ${karaf.etc}/models.")
        String folder() default "";

        @AttributeDefinition(description = "Seconds between two looks at the folder.")
        int pollSeconds() default 2;
    }

    private final ModelStore store = new ModelStore();
    private final UcumUnits units = new UcumUnits();
    private final BundleTracker<Bundle> tracker;
    private final ModelFolder folder;
    private final Configuration watcher;

    @Activate
    public ModelRegistryImpl(BundleContext context, @Reference ConfigurationAdmin configurationAdmin, Config config) {
        Path dir = folderOf(config.folder());
        if (dir != null) {
            this.folder = new ModelFolder(store, dir);
            folder.loadAll();
            this.watcher = watch(configurationAdmin, folder.dir(), config.pollSeconds());
        } else {
            // files can still arrive through deploy/
            this.folder = new ModelFolder(store, Path.of("models"));
            this.watcher = null;
            LOG.info("No models folder: neither 'folder' in {} nor the karaf.etc property is set", PID);
        }
        this.tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, new Extender());
        tracker.open();
        LOG.info("Model registry started with {} models ({} not resolved)", store.models().size(), store.unresolved().size());
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        if (watcher != null) {
            // no watcher is left behind without its installer; the next activation asks again
            try {
                watcher.delete();
            } catch (IOException | RuntimeException e) {
                LOG.debug("The File Install configuration of the models folder is gone already: {}", e.toString());
            }
        }
    }

    // ---- ModelRegistry

    @Override
    public Optional<ThingModel> model(String id) {
        return store.model(id);
    }

    @Override
    public Collection<ThingModel> models() {
        return store.models();
    }

    @Override
    public double convert(double value, String fromUnit, String toUnit) {
        return units.convert(value, fromUnit, toUnit);
    }

    // ---- ModelLoadStats

    @Override
    public int modelCount() {
        return store.models().size();
    }

    @Override
    public long loadedFiles() {
        return store.loadedFiles();
    }

    @Override
    public long malformedFiles() {
        return store.malformedFiles();
    }

    @Override
    public Map<String, String> unresolvedModels() {
        return store.unresolved();
    }

    // ---- ArtifactInstaller: the models folder (and deploy/)

    @Override
    public boolean canHandle(File artifact) {
        return ModelFolder.isModelFile(artifact.toPath());
    }

    @Override
    public void install(File artifact) {
        folder.load(artifact.toPath());
    }

    @Override
    public void update(File artifact) {
        folder.load(artifact.toPath());
    }

    @Override
    public void uninstall(File artifact) {
        folder.remove(artifact.toPath());
    }

    /** Asks File Install to watch the folder, through a factory configuration of File Install. */
    private static Configuration watch(ConfigurationAdmin cm, Path dir, int pollSeconds) {
        try {
            Configuration c = cm.getFactoryConfiguration(FILEINSTALL_FACTORY, FILEINSTALL_NAME, "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("felix.fileinstall.dir", dir.toString());
            p.put("felix.fileinstall.filter", ".*\\.tm\\.jsonld");
            p.put("felix.fileinstall.poll", String.valueOf(Math.max(1, pollSeconds) * 1000L));
            p.put("felix.fileinstall.noInitialDelay", "true");
            p.put("felix.fileinstall.subdir.mode", "skip");
            p.put("felix.fileinstall.log.level", "2");
            c.updateIfDifferent(p);
            return c;
        } catch (IOException | RuntimeException e) {
            LOG.warn("The models folder {} is loaded at start but not watched: {}", dir, e.toString());
            return null;
        }
    }

    private static Path folderOf(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String etc = System.getProperty("karaf.etc");
        return etc == null ? null : Path.of(etc, "models").toAbsolutePath().normalize();
    }

    // ---- the extender: model bundles

    private final class Extender implements BundleTrackerCustomizer<Bundle> {

        @Override
        public Bundle addingBundle(Bundle bundle, BundleEvent event) {
            String header = bundle.getHeaders("").get(HEADER);
            if (header == null) {
                return null;
            }
            List<ModelStore.ModelFile> files = new ArrayList<>();
            for (String dir : header.split(",")) {
                String path = dir.trim();
                if (path.isEmpty()) {
                    continue;
                }
                Enumeration<URL> entries = bundle.findEntries(path, "*" + ModelFolder.SUFFIX, true);
                while (entries != null && entries.hasMoreElements()) {
                    URL url = entries.nextElement();
                    String source = sourceOf(bundle) + url.getPath();
                    try (InputStream in = url.openStream()) {
                        String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
                        files.add(new ModelStore.ModelFile(source, name, ModelStore.BUNDLE, in.readAllBytes()));
                    } catch (IOException e) {
                        store.unreadable(source, e);
                    }
                }
            }
            int loaded = store.load(files);
            LOG.info("Loaded {} of {} model files from bundle {} ({})", loaded, files.size(), bundle.getSymbolicName(), bundle.getBundleId());
            return bundle;
        }

        @Override
        public void modifiedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
            // the models of a bundle do not change while it is active
        }

        @Override
        public void removedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
            int removed = store.removeSources(sourceOf(bundle));
            LOG.info("Removed {} model files of bundle {} ({})", removed, bundle.getSymbolicName(), bundle.getBundleId());
        }

        private String sourceOf(Bundle bundle) {
            return "bundle:" + bundle.getBundleId() + ":";
        }
    }
}
