package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.mapping.MappingCatalog;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;

/**
 * The real semantic models (rosetta-semantic-models on the test class path) in a real model store,
 * with the real UCUM unit conversion, and the shipped dialect mappings.
 */
public final class TestModels {

    private static final ModelRegistry REGISTRY = ClassPathModels.registry(TestModels.class.getClassLoader());
    private static final MappingCatalog CATALOG = MappingCatalog.load(TestModels.class.getClassLoader());

    private TestModels() {
    }

    public static ModelRegistry models() {
        return REGISTRY;
    }

    public static MappingCatalog catalog() {
        return CATALOG;
    }

    public static PropertyMapper mapper() {
        return new PropertyMapper(REGISTRY);
    }
}
