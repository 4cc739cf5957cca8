package io.rosetta.models.internal;

import io.rosetta.models.ModelRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The models shipped in rosetta-semantic-models, read from the test class path, and a registry over a store. */
final class TestModels {

    private TestModels() {
    }

    /** Every {@code models/*.tm.jsonld} of the semantic-models artifact. */
    static List<ModelStore.ModelFile> shipped() {
        return ClassPathModels.shipped(TestModels.class.getClassLoader());
    }

    static ModelStore shippedStore() {
        return ClassPathModels.store(TestModels.class.getClassLoader());
    }

    static ModelStore.ModelFile file(String source, String json) {
        String name = source.substring(source.lastIndexOf('/') + 1);
        return new ModelStore.ModelFile(source, name, ModelStore.BUNDLE, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@link ModelRegistry} over a store, as the DS component is without its OSGi sources. */
    static ModelRegistry registry(ModelStore store) {
        return ClassPathModels.registry(store);
    }
}
