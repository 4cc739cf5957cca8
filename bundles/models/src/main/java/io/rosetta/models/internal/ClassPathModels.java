package io.rosetta.models.internal;

import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The shipped models ({@code models/*.tm.jsonld} of rosetta-semantic-models) read from a class
 * path, in a real {@link ModelStore} with the real UCUM conversion: the model registry as it is
 * inside Karaf, for tests and benchmarks that run outside OSGi.
 */
public final class ClassPathModels {

    private static final String PROBE = "models/temperature-1.0.0.tm.jsonld";

    private ClassPathModels() {
    }

    /** A registry over a store loaded with the shipped models. */
    public static ModelRegistry registry(ClassLoader loader) {
        return registry(store(loader));
    }

    /** A store loaded with the shipped models. */
    public static ModelStore store(ClassLoader loader) {
        ModelStore store = new ModelStore();
        store.load(shipped(loader));
        return store;
    }

    /**
     * A registry over any store, converting units with UCUM. The units library is loaded on the
     * first conversion, so callers that never convert need not have it on their class path.
     */
    public static ModelRegistry registry(ModelStore store) {
        return new ModelRegistry() {
            private UcumUnits units;

            @Override
            public Optional<ThingModel> model(String id) {
                return store.model(id);
            }

            @Override
            public Collection<ThingModel> models() {
                return store.models();
            }

            @Override
            public synchronized double convert(double value, String fromUnit, String toUnit) {
                if (units == null) {
                    units = new UcumUnits();
                }
                return units.convert(value, fromUnit, toUnit);
            }
        };
    }

    /** The shipped model files, from the semantic-models jar or its classes folder. */
    public static List<ModelStore.ModelFile> shipped(ClassLoader loader) {
        URL probe = loader.getResource(PROBE);
        if (probe == null) {
            throw new IllegalStateException("rosetta-semantic-models is not on the class path");
        }
        List<ModelStore.ModelFile> files = new ArrayList<>();
        try {
            if ("jar".equals(probe.getProtocol())) {
                JarURLConnection c = (JarURLConnection) probe.openConnection();
                try (JarFile jar = new JarFile(c.getJarFileURL().getFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry e = entries.nextElement();
                        if (e.getName().startsWith("models/") && e.getName().endsWith(".tm.jsonld")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                String name = e.getName().substring("models/".length());
                                files.add(new ModelStore.ModelFile("bundle:1:/" + e.getName(), name, ModelStore.BUNDLE, in.readAllBytes()));
                            }
                        }
                    }
                }
            } else {
                Path dir = Path.of(probe.toURI()).getParent();
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.filter(p -> p.toString().endsWith(".tm.jsonld")).sorted().toList()) {
                        files.add(new ModelStore.ModelFile("bundle:1:/models/" + p.getFileName(), p.getFileName().toString(),
                                ModelStore.BUNDLE, Files.readAllBytes(p)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
