package io.rosetta.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A feature of a device model: the submodel's id and its properties and actions. */
public record FeatureModel(String instanceName, String modelId, String title, Map<String, PropertyModel> properties,
                           Map<String, ActionModel> actions) {

    public FeatureModel {
        properties = ordered(properties);
        actions = ordered(actions);
    }

    /** An unmodifiable copy that keeps the model's declaration order (features and properties appear in the twin in that order). */
    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
