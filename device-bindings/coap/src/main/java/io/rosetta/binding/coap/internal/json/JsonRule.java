package io.rosetta.binding.coap.internal.json;

import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import java.util.Map;
import java.util.Objects;

/**
 * One member of a device's JSON mapped onto one model property: where it is ({@code source}, an RFC 6901
 * JSON pointer), the feature and property it becomes, the unit the device sends it in ({@code unit}, or read
 * from the payload at {@code unitFrom} and translated through {@code units}), and an optional table of device
 * values to model values ({@code "ON" → true}).
 */
public record JsonRule(JsonPointer source, String feature, String property, String unit, JsonPointer unitFrom,
                       Map<String, String> units, Map<String, JsonValue> values) {

    public JsonRule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(property, "property");
        units = units == null ? Map.of() : Map.copyOf(units);
        values = values == null ? Map.of() : Map.copyOf(values);
    }
}
