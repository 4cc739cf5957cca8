package io.rosetta.core.json;

/**
 * An immutable JSON value. Instances are compact (array-backed objects, shared keys) because
 * the registry keeps every twin resident; use {@link Json} to parse and write them.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    default boolean isObject() {
        return this instanceof JsonObject;
    }

    default boolean isArray() {
        return this instanceof JsonArray;
    }

    default boolean isString() {
        return this instanceof JsonString;
    }

    default boolean isNumber() {
        return this instanceof JsonNumber;
    }

    default boolean isBoolean() {
        return this instanceof JsonBoolean;
    }

    default boolean isNull() {
        return this instanceof JsonNull;
    }

    default JsonObject asObject() {
        if (this instanceof JsonObject o) {
            return o;
        }
        throw new ClassCastException("not a JSON object: " + this);
    }

    default JsonArray asArray() {
        if (this instanceof JsonArray a) {
            return a;
        }
        throw new ClassCastException("not a JSON array: " + this);
    }

    /** The JSON type name as JSON Schema / WoT spell it: object, array, string, number, integer, boolean, null. */
    String typeName();

    /** Compact JSON text. */
    @Override
    String toString();

    static JsonValue of(String s) {
        return s == null ? JsonNull.INSTANCE : JsonString.of(s);
    }

    static JsonValue of(long n) {
        return JsonNumber.of(n);
    }

    static JsonValue of(double n) {
        return JsonNumber.of(n);
    }

    static JsonValue of(boolean b) {
        return JsonBoolean.of(b);
    }

    static JsonValue nullValue() {
        return JsonNull.INSTANCE;
    }
}
