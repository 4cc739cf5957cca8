package io.rosetta.core.binding;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ThingId;
import java.util.Objects;

/**
 * A device a binding serves: its twin's id, the binding that owns it, the semantic model its twin
 * follows (a WoT Thing Model id) and the binding-specific configuration (topics, addresses, ...).
 */
public record Device(ThingId thingId, String bindingId, String model, JsonObject configuration) {

    public Device {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(bindingId, "bindingId");
        configuration = configuration == null ? JsonObject.empty() : configuration;
    }
}
