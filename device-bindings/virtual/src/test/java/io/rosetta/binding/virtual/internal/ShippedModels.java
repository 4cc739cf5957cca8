package io.rosetta.binding.virtual.internal;

import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import io.rosetta.models.internal.ClassPathModels;
import java.util.List;

/**
 * The Thing Models shipped in rosetta-semantic-models, read from the test class path by the model
 * registry's own store and parser, for tests of the simulation against the real models.
 */
final class ShippedModels {

    static final List<String> DEVICE_MODELS = List.of("rosetta:temperature-humidity-sensor:1.0.0", "rosetta:smart-plug:1.0.0",
            "rosetta:contact-sensor:1.0.0", "rosetta:motion-sensor:1.0.0", "rosetta:air-quality-sensor:1.0.0",
            "rosetta:gps-tracker:1.0.0");

    private static final ModelRegistry REGISTRY = ClassPathModels.registry(ShippedModels.class.getClassLoader());

    private ShippedModels() {
    }

    static ThingModel model(String id) {
        return REGISTRY.model(id).orElseThrow(() -> new IllegalArgumentException("no shipped model " + id));
    }
}
