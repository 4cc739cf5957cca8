package io.rosetta.models;

import java.util.Map;

/** A feature of a device model: the submodel's id and its properties and actions. */
public record FeatureModel(String instanceName, String modelId, String title, Map<String, PropertyModel> properties,
                           Map<String, ActionModel> actions) {

    public FeatureModel {
        properties = Map.copyOf(properties);
        actions = Map.copyOf(actions);
    }
}
