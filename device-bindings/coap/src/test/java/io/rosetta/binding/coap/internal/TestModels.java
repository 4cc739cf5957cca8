package io.rosetta.binding.coap.internal;

import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;

/**
 * The real semantic models (rosetta-semantic-models on the test class path) in a real model store,
 * with the real UCUM unit conversion.
 */
public final class TestModels {

    private static final ModelRegistry REGISTRY = ClassPathModels.registry(TestModels.class.getClassLoader());

    private TestModels() {
    }

    public static ModelRegistry models() {
        return REGISTRY;
    }
}
