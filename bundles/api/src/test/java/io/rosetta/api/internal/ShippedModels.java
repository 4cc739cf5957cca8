package io.rosetta.api.internal;

import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ModelRegistry} over some of the Thing Models that Rosetta ships (rosetta-semantic-models),
 * loaded by the model registry's own store and parser, so that the API's WoT resources are tested
 * against real models without the model bundle's OSGi runtime.
 */
final class ShippedModels implements ModelRegistry {

    private final ModelRegistry registry;

    ShippedModels(String... files) {
        List<String> names = List.of(files);
        ModelStore store = new ModelStore();
        store.load(ClassPathModels.shipped(ShippedModels.class.getClassLoader()).stream()
                .filter(f -> names.contains(f.fileName())).toList());
        this.registry = ClassPathModels.registry(store);
    }

    @Override
    public Optional<ThingModel> model(String id) {
        return registry.model(id);
    }

    @Override
    public Collection<ThingModel> models() {
        return registry.models();
    }

    @Override
    public double convert(double value, String fromUnit, String toUnit) {
        return registry.convert(value, fromUnit, toUnit);
    }
}
