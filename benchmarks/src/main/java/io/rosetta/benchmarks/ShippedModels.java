package io.rosetta.benchmarks;

import io.rosetta.core.registry.TwinValidator;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelValidator;

/** The validator of the shipped semantic models, as the model registry publishes it inside Karaf. */
final class ShippedModels {

    private ShippedModels() {
    }

    static TwinValidator validator() {
        return new ModelValidator(ClassPathModels.registry(ShippedModels.class.getClassLoader()), true, true);
    }
}
