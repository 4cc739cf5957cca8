package io.rosetta.binding.coap.internal;

import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import io.rosetta.models.internal.ModelStore;
import io.rosetta.models.internal.UcumUnits;
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
 * The real semantic models (rosetta-semantic-models on the test class path) in a real model store,
 * with the real UCUM unit conversion.
 */
public final class TestModels {

    private static final ModelRegistry REGISTRY = registry();

    private TestModels() {
    }

    public static ModelRegistry models() {
        return REGISTRY;
    }

    private static ModelRegistry registry() {
        ModelStore store = new ModelStore();
        store.load(shipped());
        UcumUnits units = new UcumUnits();
        return new ModelRegistry() {
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
        };
    }

    private static List<ModelStore.ModelFile> shipped() {
        URL probe = TestModels.class.getClassLoader().getResource("models/temperature-1.0.0.tm.jsonld");
        if (probe == null) {
            throw new IllegalStateException("rosetta-semantic-models is not on the test class path");
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
