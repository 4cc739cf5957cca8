package io.rosetta.core.model;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.util.Objects;

/**
 * A feature of a thing, as Ditto shapes it: an optional {@code definition} (an array of model ids),
 * reported {@code properties} and wanted {@code desiredProperties}. {@code null} members are absent.
 */
public final class Feature {

    private final String id;
    private final JsonArray definition;
    private final JsonObject properties;
    private final JsonObject desiredProperties;

    private Feature(String id, JsonArray definition, JsonObject properties, JsonObject desiredProperties) {
        this.id = id;
        this.definition = definition;
        this.properties = properties;
        this.desiredProperties = desiredProperties;
    }

    public static Feature of(String id) {
        return new Feature(validateId(id), null, null, null);
    }

    public static Feature of(String id, JsonArray definition, JsonObject properties, JsonObject desiredProperties) {
        return new Feature(validateId(id), definition, properties, desiredProperties);
    }

    static String validateId(String id) {
        if (id == null || id.isEmpty()) {
            throw TwinException.invalid("A feature id must not be empty.", "Name the feature, e.g. 'temperature'.");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/') {
                throw TwinException.invalid("The feature id '" + id + "' must not contain '/' or control characters.",
                        "Name the feature with printable characters, e.g. 'temperature'.");
            }
        }
        return id;
    }

    /** Reads a feature from its Ditto JSON; throws {@link TwinException} (400) for a wrong shape. */
    public static Feature fromJson(String id, JsonValue json) {
        if (!(json instanceof JsonObject o)) {
            throw TwinException.invalid("The feature '" + id + "' must be a JSON object but was " + json.typeName() + ".",
                    "A feature has the members 'definition', 'properties' and 'desiredProperties'.");
        }
        JsonArray definition = null;
        JsonObject properties = null;
        JsonObject desired = null;
        for (int i = 0; i < o.size(); i++) {
            String key = o.keyAt(i);
            JsonValue v = o.valueAt(i);
            switch (key) {
                case "definition" -> definition = definitionOf(id, v);
                case "properties" -> properties = objectOf(id, key, v);
                case "desiredProperties" -> desired = objectOf(id, key, v);
                default -> {
                    if (!key.startsWith("_")) {
                        throw TwinException.invalid("The feature '" + id + "' has an unknown member '" + key + "'.",
                                "A feature has only the members 'definition', 'properties' and 'desiredProperties'.");
                    }
                }
            }
        }
        return new Feature(validateId(id), definition, properties, desired);
    }

    private static JsonArray definitionOf(String id, JsonValue v) {
        if (v.isNull()) {
            return null;
        }
        if (!(v instanceof JsonArray a)) {
            throw TwinException.invalid("The definition of feature '" + id + "' must be an array of strings.",
                    "Write e.g. \"definition\": [\"org.example:temperature:1.0.0\"].");
        }
        for (JsonValue item : a) {
            if (!(item instanceof JsonString)) {
                throw TwinException.invalid("The definition of feature '" + id + "' must be an array of strings.",
                        "Write e.g. \"definition\": [\"org.example:temperature:1.0.0\"].");
            }
        }
        return a;
    }

    private static JsonObject objectOf(String id, String member, JsonValue v) {
        if (v.isNull()) {
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            throw TwinException.invalid("The " + member + " of feature '" + id + "' must be a JSON object but was " + v.typeName() + ".",
                    "Properties are a JSON object of named values.");
        }
        return o;
    }

    public String id() {
        return id;
    }

    public JsonArray definition() {
        return definition;
    }

    public JsonObject properties() {
        return properties;
    }

    public JsonObject desiredProperties() {
        return desiredProperties;
    }

    public Feature withProperties(JsonObject p) {
        return p == properties ? this : new Feature(id, definition, p, desiredProperties);
    }

    public Feature withDesiredProperties(JsonObject d) {
        return d == desiredProperties ? this : new Feature(id, definition, properties, d);
    }

    public Feature withDefinition(JsonArray d) {
        return d == definition ? this : new Feature(id, d, properties, desiredProperties);
    }

    public JsonObject toJson() {
        JsonObject.Builder b = JsonObject.newBuilder();
        if (definition != null) {
            b.set("definition", definition);
        }
        if (properties != null) {
            b.set("properties", properties);
        }
        if (desiredProperties != null) {
            b.set("desiredProperties", desiredProperties);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Feature f && f.id.equals(id) && Objects.equals(f.definition, definition)
                && Objects.equals(f.properties, properties) && Objects.equals(f.desiredProperties, desiredProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, definition, properties, desiredProperties);
    }

    @Override
    public String toString() {
        return id + "=" + toJson();
    }
}
