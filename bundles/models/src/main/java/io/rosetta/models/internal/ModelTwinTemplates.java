package io.rosetta.models.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinTemplates;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * New twins shaped by their device model: the definition, and one feature per {@code tm:submodel}
 * link (instance name = feature id) whose definition names the feature's own model, as Eclipse
 * Ditto's WoT integration creates them. Values arrive with the device's first report.
 */
@Component(service = TwinTemplates.class)
public final class ModelTwinTemplates implements TwinTemplates {

    private final ModelRegistry models;

    @Activate
    public ModelTwinTemplates(@Reference ModelRegistry models) {
        this.models = models;
    }

    @Override
    public Optional<Thing> newTwin(ThingId id, String modelId) {
        return models.model(modelId).map(model -> build(id, model));
    }

    static Thing build(ThingId id, ThingModel model) {
        List<Feature> features = new ArrayList<>(model.features().size());
        for (FeatureModel f : model.features().values()) {
            JsonArray definition = f.modelId() == null ? null : JsonArray.ofStrings(List.of(f.modelId()));
            features.add(Feature.of(f.instanceName(), definition, null, null));
        }
        return Thing.newBuilder(id).definition(model.id()).features(features).build();
    }
}
