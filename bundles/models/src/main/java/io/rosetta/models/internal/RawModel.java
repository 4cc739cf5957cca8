package io.rosetta.models.internal;

import io.rosetta.core.json.JsonObject;
import io.rosetta.models.ActionModel;
import io.rosetta.models.PropertyModel;
import java.util.List;
import java.util.Map;

/**
 * A Thing Model as parsed from one file, before its links are resolved: its own properties and
 * actions, the {@code tm:submodel} links (one per feature) and {@code tm:extends} links.
 */
record RawModel(String id, String title, String description, Map<String, PropertyModel> properties,
                Map<String, ActionModel> actions, List<Submodel> submodels, List<String> extendsRefs,
                JsonObject source) {

    /** A {@code tm:submodel} link: the feature {@code instanceName} and the linked model. */
    record Submodel(String href, String instanceName) {
    }
}
