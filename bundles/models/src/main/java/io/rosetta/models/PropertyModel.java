package io.rosetta.models;

import io.rosetta.core.json.JsonValue;
import java.util.List;

/**
 * One property of a model: its JSON type ({@code number, integer, boolean, string, object, array}),
 * its unit as a UCUM code ({@code null} when dimensionless or not a quantity), its range and
 * enumeration where they apply.
 */
public record PropertyModel(String name, String type, String unit, Double minimum, Double maximum,
                            List<JsonValue> enumeration, boolean readOnly, String description) {

    public PropertyModel {
        enumeration = enumeration == null ? List.of() : List.copyOf(enumeration);
    }
}
