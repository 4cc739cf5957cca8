package io.rosetta.benchmarks;

import io.rosetta.core.registry.TwinValidator;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import io.rosetta.models.internal.ModelStore;
import io.rosetta.models.internal.ModelValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** The validator of the shipped semantic models, as the model registry publishes it inside Karaf. */
final class ShippedModels {

    private ShippedModels() {
    }

    static TwinValidator validator() {
        ModelStore store = new ModelStore();
        store.load(files());
        ModelRegistry registry = new ModelRegistry() {
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
                throw new UnsupportedOperationException("not needed for validation");
            }
        };
        return new ModelValidator(registry, true, true);
    }

    /** The models/*.tm.jsonld entries of the jar these classes run from. */
    private static List<ModelStore.ModelFile> files() {
        URL probe = ShippedModels.class.getClassLoader().getResource("models/temperature-1.0.0.tm.jsonld");
        if (probe == null || !"jar".equals(probe.getProtocol())) {
            throw new IllegalStateException("run from benchmarks.jar, which carries the shipped models");
        }
        List<ModelStore.ModelFile> files = new ArrayList<>();
        try {
            JarURLConnection c = (JarURLConnection) probe.openConnection();
            try (JarFile jar = new JarFile(c.getJarFileURL().getFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().startsWith("models/") && e.getName().endsWith(".tm.jsonld")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            files.add(new ModelStore.ModelFile("jar:/" + e.getName(), e.getName().substring(7), ModelStore.BUNDLE,
                                    in.readAllBytes()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
