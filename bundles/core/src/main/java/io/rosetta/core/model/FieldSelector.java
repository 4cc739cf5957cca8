package io.rosetta.core.model;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Ditto's {@code fields} selection: a comma-separated list of pointers, where
 * {@code a/b(c,d)} selects {@code a/b/c} and {@code a/b/d}. Special fields such as {@code _revision}
 * appear only when selected.
 */
public final class FieldSelector {

    private final List<JsonPointer> pointers;

    private FieldSelector(List<JsonPointer> pointers) {
        this.pointers = List.copyOf(pointers);
    }

    public static FieldSelector of(String text) {
        List<JsonPointer> out = new ArrayList<>();
        parse(text.trim(), JsonPointer.empty(), out, text);
        if (out.isEmpty()) {
            throw TwinException.invalid("The field selector '" + text + "' selects nothing.", "Write e.g. fields=thingId,attributes");
        }
        return new FieldSelector(out);
    }

    private static void parse(String text, JsonPointer prefix, List<JsonPointer> out, String whole) {
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw TwinException.invalid("The field selector '" + whole + "' has unbalanced parentheses.", "Write e.g. fields=features(temperature,humidity)");
                }
            } else if (c == ',' && depth == 0) {
                String part = text.substring(start, i).trim();
                start = i + 1;
                if (part.isEmpty()) {
                    continue;
                }
                int open = part.indexOf('(');
                if (open >= 0) {
                    if (!part.endsWith(")")) {
                        throw TwinException.invalid("The field selector '" + whole + "' is malformed.", "Write e.g. fields=features(temperature,humidity)");
                    }
                    JsonPointer base = prefix.append(JsonPointer.of(part.substring(0, open)));
                    parse(part.substring(open + 1, part.length() - 1), base, out, whole);
                } else {
                    out.add(prefix.append(JsonPointer.of(part)));
                }
            }
        }
        if (depth != 0) {
            throw TwinException.invalid("The field selector '" + whole + "' has unbalanced parentheses.", "Write e.g. fields=features(temperature,humidity)");
        }
    }

    public List<JsonPointer> pointers() {
        return pointers;
    }

    /** Whether any selected pointer starts with the given top-level field. */
    public boolean selectsTopLevel(String field) {
        for (JsonPointer p : pointers) {
            if (p.first().equals(field)) {
                return true;
            }
        }
        return false;
    }

    /** Copies the selected parts of {@code source} (which must include any selected special fields). */
    public JsonObject apply(JsonObject source) {
        JsonObject result = JsonObject.empty();
        for (JsonPointer p : pointers) {
            JsonValue v = source.getValue(p).orElse(null);
            if (v != null) {
                result = result.set(p, v);
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return pointers.toString();
    }
}
