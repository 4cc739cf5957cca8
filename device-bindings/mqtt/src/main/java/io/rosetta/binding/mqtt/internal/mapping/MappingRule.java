package io.rosetta.binding.mqtt.internal.mapping;

import io.rosetta.core.json.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One property of a device payload mapped onto one model property: where the value is in the
 * payload ({@code source}, a JSON pointer whose segments may be {@code *} for "any member", as
 * Tasmota names its sensor objects after the chip), which feature and property it becomes, the unit
 * the device sends ({@code unit}, or read from the payload at {@code unitFrom} and translated through
 * {@code units}), and an optional table of device values to model values ({@code "ON" → true}).
 * {@code message} restricts the rule to one kind of message of its dialect (Tasmota's SENSOR, STATE, RESULT).
 */
public record MappingRule(List<String> source, String feature, String property, String unit, List<String> unitFrom,
                          Map<String, String> units, Map<String, JsonValue> values, String message) {

    public MappingRule {
        source = List.copyOf(source);
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(property, "property");
        unitFrom = unitFrom == null ? null : List.copyOf(unitFrom);
        units = units == null ? Map.of() : Map.copyOf(units);
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public boolean appliesTo(String messageType) {
        return message == null || message.equals(messageType);
    }
}
