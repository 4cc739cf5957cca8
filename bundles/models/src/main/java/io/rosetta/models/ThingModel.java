package io.rosetta.models;

import io.rosetta.core.json.JsonObject;
import java.util.Map;

/**
 * A WoT Thing Model, resolved: its own properties (which become the twin's attributes), its
 * features (one per {@code tm:submodel} link, keyed by instance name) and its actions.
 * {@code source} is the JSON-LD as loaded.
 */
public record ThingModel(String id, String title, String description, Map<String, PropertyModel> properties,
                         Map<String, FeatureModel> features, Map<String, ActionModel> actions, JsonObject source) {

    public ThingModel {
        properties = Map.copyOf(properties);
        features = Map.copyOf(features);
        actions = Map.copyOf(actions);
    }
}
