package io.rosetta.api.internal.wot;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.Thing;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link ThingDescriptions} from Rosetta's model registry. Satisfied only while a
 * {@link ModelRegistry} service exists (this bundle imports {@code io.rosetta.models} optionally),
 * so the API runs with or without the models feature.
 */
@Component(service = ThingDescriptions.class)
public final class ModelThingDescriptions implements ThingDescriptions {

    private final ModelRegistry models;

    @Activate
    public ModelThingDescriptions(@Reference ModelRegistry models) {
        this.models = models;
    }

    @Override
    public JsonObject thing(Thing thing, String base) {
        return ThingDescriptionGenerator.thing(thing, base, models::model);
    }

    @Override
    public JsonObject feature(Thing thing, String featureId, String base) {
        return ThingDescriptionGenerator.feature(thing, featureId, base, models::model);
    }

    @Override
    public JsonArray models() {
        List<ThingModel> all = models.models().stream().sorted(Comparator.comparing(ThingModel::id)).toList();
        return JsonArray.of(all.stream().map(ThingDescriptionGenerator::summary).toList());
    }

    @Override
    public Optional<JsonObject> model(String id) {
        return models.model(id).map(ThingModel::source);
    }
}
