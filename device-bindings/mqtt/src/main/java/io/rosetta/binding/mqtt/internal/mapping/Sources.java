package io.rosetta.binding.mqtt.internal.mapping;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON pointers with one extension: a segment {@code *} matches any member of an object (the first
 * one, in payload order, under which the rest of the pointer resolves).
 */
public final class Sources {

    private Sources() {
    }

    /** Splits an RFC 6901 pointer ({@code /AM2301/Temperature}, {@code /*}{@code /Temperature}) into unescaped segments. */
    public static List<String> parse(String pointer) {
        if (pointer == null || pointer.isEmpty()) {
            return List.of();
        }
        if (pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("a JSON pointer must start with '/' but was '" + pointer + "'");
        }
        List<String> out = new ArrayList<>();
        for (String s : pointer.substring(1).split("/", -1)) {
            out.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    /** The value at the pointer, or {@code null} when absent (JSON null counts as absent). */
    public static JsonValue resolve(JsonValue root, List<String> segments) {
        return resolve(root, segments, 0);
    }

    private static JsonValue resolve(JsonValue node, List<String> segments, int i) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (i == segments.size()) {
            return node;
        }
        String s = segments.get(i);
        if (node instanceof JsonObject o) {
            if ("*".equals(s)) {
                for (int k = 0; k < o.size(); k++) {
                    JsonValue v = resolve(o.valueAt(k), segments, i + 1);
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            }
            return resolve(o.getOrNull(s), segments, i + 1);
        }
        if (node instanceof JsonArray a) {
            try {
                int index = Integer.parseInt(s);
                return index >= 0 && index < a.size() ? resolve(a.get(index), segments, i + 1) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
