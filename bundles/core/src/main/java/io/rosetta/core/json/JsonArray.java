package io.rosetta.core.json;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** An immutable JSON array. */
public final class JsonArray implements JsonValue, Iterable<JsonValue> {

    private static final JsonArray EMPTY = new JsonArray(new JsonValue[0]);

    private final JsonValue[] values;

    private JsonArray(JsonValue[] values) {
        this.values = values;
    }

    public static JsonArray empty() {
        return EMPTY;
    }

    /** An array over one the caller hands over: no nulls, never changed afterwards (the parser's). */
    static JsonArray wrap(JsonValue[] values) {
        return values.length == 0 ? EMPTY : new JsonArray(values);
    }

    public static JsonArray of(JsonValue... values) {
        if (values.length == 0) {
            return EMPTY;
        }
        JsonValue[] copy = values.clone();
        for (JsonValue v : copy) {
            Objects.requireNonNull(v, "array element");
        }
        return new JsonArray(copy);
    }

    public static JsonArray of(List<? extends JsonValue> values) {
        return values.isEmpty() ? EMPTY : of(values.toArray(new JsonValue[0]));
    }

    public static JsonArray ofStrings(List<String> strings) {
        JsonValue[] v = new JsonValue[strings.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = JsonString.of(strings.get(i));
        }
        return v.length == 0 ? EMPTY : new JsonArray(v);
    }

    public int size() {
        return values.length;
    }

    public boolean isEmpty() {
        return values.length == 0;
    }

    public JsonValue get(int i) {
        return values[i];
    }

    public List<JsonValue> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    public JsonArray add(JsonValue value) {
        JsonValue[] v = Arrays.copyOf(values, values.length + 1);
        v[values.length] = Objects.requireNonNull(value);
        return new JsonArray(v);
    }

    @Override
    public Iterator<JsonValue> iterator() {
        return values().iterator();
    }

    @Override
    public String typeName() {
        return "array";
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof JsonArray a && Arrays.equals(a.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Json.write(this);
    }
}
