package io.rosetta.models;

import io.rosetta.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WoT Thing Model, resolved: its own properties (which become the twin's attributes), its
 * features (one per {@code tm:submodel} link, keyed by instance name) and its actions.
 * {@code source} is the JSON-LD as loaded.
 */
public record ThingModel(String id, String title, String description, Map<String, PropertyModel> properties,
                         Map<String, FeatureModel> features, Map<String, ActionModel> actions, JsonObject source) {

    public ThingModel {
        properties = ordered(properties);
        features = ordered(features);
        actions = ordered(actions);
    }

    /** An unmodifiable copy that keeps the model's declaration order (features and properties appear in the twin in that order). */
    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
