package io.rosetta.core.inbox;

import io.rosetta.core.binding.Device;
import io.rosetta.core.json.JsonObject;
import java.util.Objects;

/**
 * A device a binding discovered: the device as it would be attached (thing id, binding, model,
 * configuration), the binding's dialect or protocol variant that announced it, the connection it was
 * seen on (an MQTT broker connection's name), the attributes its twin should get (vendor, model,
 * network ids), and whether the binding's configuration approves such devices without asking.
 */
public record Discovery(Device device, String dialect, String source, JsonObject attributes, boolean autoApprove) {

    public Discovery {
        Objects.requireNonNull(device, "device");
        dialect = dialect == null ? "" : dialect;
        source = source == null ? "" : source;
        attributes = attributes == null ? JsonObject.empty() : attributes;
    }
}
