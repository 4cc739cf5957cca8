package io.rosetta.core.json;

import java.util.Objects;

/** A JSON string. */
public final class JsonString implements JsonValue {

    private static final JsonString EMPTY = new JsonString("");

    private final String value;

    private JsonString(String value) {
        this.value = value;
    }

    public static JsonString of(String value) {
        Objects.requireNonNull(value, "value");
        return value.isEmpty() ? EMPTY : new JsonString(value);
    }

    public String value() {
        return value;
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonString s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return Json.write(this);
    }
}
