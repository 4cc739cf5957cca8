package io.rosetta.core.json;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An immutable JSON object that keeps its members in insertion order. Members live in two
 * parallel arrays (keys are shared through the parser's interning), which keeps a resident twin
 * small; objects with many members get a lazily built hash index. "Setters" return a new object
 * and return {@code this} when nothing changes.
 */
public final class JsonObject implements JsonValue, Iterable<Map.Entry<String, JsonValue>> {

    private static final String[] NO_KEYS = new String[0];
    private static final JsonValue[] NO_VALUES = new JsonValue[0];
    private static final JsonObject EMPTY = new JsonObject(NO_KEYS, NO_VALUES);
    private static final int INDEX_THRESHOLD = 12;

    private final String[] keys;
    private final JsonValue[] values;
    private transient Map<String, Integer> index;

    private JsonObject(String[] keys, JsonValue[] values) {
        this.keys = keys;
        this.values = values;
    }

    public static JsonObject empty() {
        return EMPTY;
    }

    /** An object over arrays the caller hands over: distinct keys, no nulls, never changed afterwards (the parser's). */
    static JsonObject wrap(String[] keys, JsonValue[] values) {
        return keys.length == 0 ? EMPTY : new JsonObject(keys, values);
    }

    public static Builder newBuilder() {
        return new Builder(8);
    }

    public static JsonObject of(String key, JsonValue value) {
        return new JsonObject(new String[] {key}, new JsonValue[] {Objects.requireNonNull(value)});
    }

    public static JsonObject of(String k1, JsonValue v1, String k2, JsonValue v2) {
        return newBuilder().set(k1, v1).set(k2, v2).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(keys.length + 4);
        System.arraycopy(keys, 0, b.keys, 0, keys.length); // the keys are distinct already
        System.arraycopy(values, 0, b.values, 0, values.length);
        b.size = keys.length;
        return b;
    }

    public int size() {
        return keys.length;
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    public boolean contains(String key) {
        return indexOf(key) >= 0;
    }

    public Optional<JsonValue> get(String key) {
        return Optional.ofNullable(getOrNull(key));
    }

    public JsonValue getOrNull(String key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    /** The value at a pointer below this object; the empty pointer is this object itself. */
    public Optional<JsonValue> getValue(JsonPointer pointer) {
        JsonValue current = this;
        for (int i = 0; i < pointer.size(); i++) {
            if (!(current instanceof JsonObject o)) {
                return Optional.empty();
            }
            current = o.getOrNull(pointer.get(i));
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    public String keyAt(int i) {
        return keys[i];
    }

    public JsonValue valueAt(int i) {
        return values[i];
    }

    public List<String> keys() {
        return Collections.unmodifiableList(Arrays.asList(keys));
    }

    public void forEach(BiConsumer<String, JsonValue> action) {
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    /** A copy with {@code key} set to {@code value} (appended when new, in place when present). */
    public JsonObject set(String key, JsonValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int i = indexOf(key);
        if (i >= 0) {
            if (values[i] == value) {
                return this;
            }
            JsonValue[] v = values.clone();
            v[i] = value;
            return new JsonObject(keys, v);
        }
        String[] k = Arrays.copyOf(keys, keys.length + 1);
        JsonValue[] v = Arrays.copyOf(values, values.length + 1);
        k[keys.length] = key;
        v[values.length] = value;
        return new JsonObject(k, v);
    }

    /**
     * A copy with the value at {@code pointer} set, creating intermediate objects as needed.
     * Throws {@link IllegalArgumentException} when an intermediate member exists but is not an object.
     */
    public JsonObject set(JsonPointer pointer, JsonValue value) {
        if (pointer.isEmpty()) {
            if (value instanceof JsonObject o) {
                return o;
            }
            throw new IllegalArgumentException("only an object can replace the root object");
        }
        return setAt(pointer, 0, value);
    }

    private JsonObject setAt(JsonPointer pointer, int level, JsonValue value) {
        String key = pointer.get(level);
        if (level == pointer.size() - 1) {
            return set(key, value);
        }
        JsonValue child = getOrNull(key);
        JsonObject childObject;
        if (child == null || child instanceof JsonNull) {
            childObject = EMPTY;
        } else if (child instanceof JsonObject o) {
            childObject = o;
        } else {
            throw new IllegalArgumentException("'" + pointer.prefix(level + 1) + "' is a " + child.typeName() + ", not an object");
        }
        return set(key, childObject.setAt(pointer, level + 1, value));
    }

    public JsonObject remove(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return this;
        }
        String[] k = new String[keys.length - 1];
        JsonValue[] v = new JsonValue[values.length - 1];
        System.arraycopy(keys, 0, k, 0, i);
        System.arraycopy(keys, i + 1, k, i, keys.length - i - 1);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(values, i + 1, v, i, values.length - i - 1);
        return k.length == 0 ? EMPTY : new JsonObject(k, v);
    }

    /** A copy without the value at {@code pointer}; {@code this} when there is none. */
    public JsonObject remove(JsonPointer pointer) {
        if (pointer.isEmpty()) {
            return EMPTY;
        }
        return removeAt(pointer, 0);
    }

    private JsonObject removeAt(JsonPointer pointer, int level) {
        String key = pointer.get(level);
        if (level == pointer.size() - 1) {
            return remove(key);
        }
        JsonValue child = getOrNull(key);
        if (child instanceof JsonObject o) {
            JsonObject changed = o.removeAt(pointer, level + 1);
            return changed == o ? this : set(key, changed);
        }
        return this;
    }

    /** Members of {@code other} added to or replacing members of this object (shallow). */
    public JsonObject setAll(JsonObject other) {
        JsonObject result = this;
        for (int i = 0; i < other.keys.length; i++) {
            result = result.set(other.keys[i], other.values[i]);
        }
        return result;
    }

    private int indexOf(String key) {
        String[] k = keys;
        if (k.length <= INDEX_THRESHOLD) {
            for (int i = 0; i < k.length; i++) {
                String candidate = k[i];
                if (candidate == key || candidate.equals(key)) {
                    return i;
                }
            }
            return -1;
        }
        Map<String, Integer> idx = index;
        if (idx == null) {
            idx = new HashMap<>(k.length * 2);
            for (int i = 0; i < k.length; i++) {
                idx.put(k[i], i);
            }
            index = idx;
        }
        Integer i = idx.get(key);
        return i == null ? -1 : i;
    }

    @Override
    public Iterator<Map.Entry<String, JsonValue>> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < keys.length;
            }

            @Override
            public Map.Entry<String, JsonValue> next() {
                if (i >= keys.length) {
                    throw new NoSuchElementException();
                }
                Map.Entry<String, JsonValue> e = new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                i++;
                return e;
            }
        };
    }

    @Override
    public String typeName() {
        return "object";
    }

    /** Equal when both have the same members, whatever their order. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof JsonObject other) || other.keys.length != keys.length) {
            return false;
        }
        for (int i = 0; i < keys.length; i++) {
            if (!values[i].equals(other.getOrNull(keys[i]))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) {
            h += keys[i].hashCode() ^ values[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return Json.write(this);
    }

    /** Collects members; a repeated key replaces the earlier value in its place. */
    public static final class Builder {
        // parallel arrays, not lists: a parsed payload builds one of these per object, so no list objects, no copies but the last
        private String[] keys;
        private JsonValue[] values;
        private int size;
        /** Whether the arrays were handed to a built object: the next change copies them first. */
        private boolean shared;

        private Builder(int capacity) {
            keys = new String[Math.max(1, capacity)];
            values = new JsonValue[keys.length];
        }

        public Builder set(String key, JsonValue value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            int i = find(key);
            if (i >= 0) {
                unshare();
                values[i] = value;
            } else {
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                    values = Arrays.copyOf(values, size * 2);
                    shared = false;
                }
                unshare();
                keys[size] = key;
                values[size++] = value;
            }
            return this;
        }

        private int find(String key) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        public Builder set(String key, String value) {
            return set(key, JsonValue.of(value));
        }

        public Builder set(String key, long value) {
            return set(key, JsonNumber.of(value));
        }

        public Builder set(String key, double value) {
            return set(key, JsonNumber.of(value));
        }

        public Builder set(String key, boolean value) {
            return set(key, JsonBoolean.of(value));
        }

        public Builder remove(String key) {
            int i = find(key);
            if (i >= 0) {
                unshare();
                System.arraycopy(keys, i + 1, keys, i, size - i - 1);
                System.arraycopy(values, i + 1, values, i, size - i - 1);
                size--;
                keys[size] = null;
                values[size] = null;
            }
            return this;
        }

        private void unshare() {
            if (shared) {
                keys = keys.clone();
                values = values.clone();
                shared = false;
            }
        }

        /** The object; when the builder is exactly full its arrays are handed over, not copied (a later change copies them). */
        public JsonObject build() {
            if (size == 0) {
                return EMPTY;
            }
            if (size == keys.length) {
                shared = true;
                return new JsonObject(keys, values);
            }
            return new JsonObject(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
        }
    }
}
