package io.rosetta.core.json;

/**
 * JSON Merge Patch (RFC 7396): {@code null} members remove, objects merge recursively, anything
 * else replaces. Unchanged subtrees keep their identity, so a patch that changes nothing returns
 * the target itself.
 */
public final class MergePatch {

    private MergePatch() {
    }

    public static JsonValue apply(JsonValue target, JsonValue patch) {
        if (!(patch instanceof JsonObject patchObject)) {
            return patch;
        }
        JsonObject result = target instanceof JsonObject o ? o : JsonObject.empty();
        for (int i = 0; i < patchObject.size(); i++) {
            String key = patchObject.keyAt(i);
            JsonValue value = patchObject.valueAt(i);
            if (value instanceof JsonNull) {
                result = result.remove(key);
            } else {
                JsonValue existing = result.getOrNull(key);
                JsonValue merged = apply(existing, value);
                if (merged != existing && !merged.equals(existing)) {
                    result = result.set(key, merged);
                }
            }
        }
        return result;
    }

    /** Applies {@code patch} to the value at {@code pointer} inside {@code target}. */
    public static JsonObject applyAt(JsonObject target, JsonPointer pointer, JsonValue patch) {
        if (pointer.isEmpty()) {
            JsonValue merged = apply(target, patch);
            if (merged instanceof JsonObject o) {
                return o;
            }
            throw new IllegalArgumentException("a merge patch at the root must be an object");
        }
        JsonValue existing = target.getValue(pointer).orElse(null);
        if (patch instanceof JsonNull) {
            return target.remove(pointer);
        }
        JsonValue merged = apply(existing, patch);
        return merged == existing ? target : target.set(pointer, merged);
    }
}
