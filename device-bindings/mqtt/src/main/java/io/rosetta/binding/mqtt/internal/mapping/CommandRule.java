package io.rosetta.binding.mqtt.internal.mapping;

import io.rosetta.core.json.JsonValue;
import java.util.Map;
import java.util.Objects;

/**
 * How a desired model property is sent to a device: {@code target} is a JSON pointer into the
 * command payload (Zigbee2MQTT, generic JSON) or a command name (Tasmota's {@code Power}),
 * {@code values} translates model values to device values ({@code true → "ON"}), {@code unit} is
 * the unit the device expects when it differs from the model's. {@code method} is the RPC method of
 * dialects that speak JSON-RPC (Shelly Gen2's {@code Switch.Set}); {@code target} then points into its params.
 */
public record CommandRule(String feature, String property, String target, Map<String, JsonValue> values, String unit, String method) {

    public CommandRule {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(target, "target");
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public CommandRule(String feature, String property, String target, Map<String, JsonValue> values, String unit) {
        this(feature, property, target, values, unit, null);
    }
}
