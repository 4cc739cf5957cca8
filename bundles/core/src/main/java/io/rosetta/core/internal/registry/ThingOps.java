package io.rosetta.core.internal.registry;

import io.rosetta.core.json.JsonNull;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.json.MergePatch;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure functions behind every write: they turn a twin and a requested change into the next
 * twin (content only; revision, times and status are the registry's). The journal replays the same
 * functions, so a recovered twin is exactly the acknowledged one.
 */
final class ThingOps {

    private ThingOps() {
    }

    /** Ditto "modify": sets the value at a path. */
    static Thing modify(Thing current, JsonPointer path, JsonValue value) {
        checkWritablePath(current.thingId(), path);
        if (path.isEmpty()) {
            return Thing.fromJson(objectOrFail(value, "a thing"), current.thingId());
        }
        requireFeatureForSubPath(current, path);
        JsonObject json = current.toJson();
        try {
            return Thing.fromJson(json.set(path, value), current.thingId());
        } catch (IllegalArgumentException e) {
            throw TwinException.invalid("The value cannot be set at '" + path + "': " + e.getMessage() + ".",
                    "Set values below JSON objects only.");
        }
    }

    /** Ditto "merge": an RFC 7396 merge patch at a path. */
    static Thing merge(Thing current, JsonPointer path, JsonValue patch) {
        checkWritablePath(current.thingId(), path);
        if (path.isEmpty() && !(patch instanceof JsonObject)) {
            throw TwinException.invalid("A merge patch of a whole thing must be a JSON object.", "Send a JSON object with the members to change.");
        }
        Thing direct = path.size() == 1 && path.first().equals("features") && patch instanceof JsonObject features
                ? mergeIntoFeatures(current, features) : mergeIntoFeature(current, path, patch);
        if (direct != null) {
            return direct;
        }
        JsonObject json = current.toJson();
        JsonObject merged;
        try {
            merged = MergePatch.applyAt(json, path, patch);
        } catch (IllegalArgumentException e) {
            throw TwinException.invalid("The merge patch cannot be applied at '" + path + "': " + e.getMessage() + ".",
                    "Merge objects into objects.");
        }
        if (merged == json) {
            return current;
        }
        return Thing.fromJson(merged, current.thingId());
    }

    /**
     * The common case of a binding's report, {@code /features/<id>/properties[/...]} (or
     * {@code desiredProperties}) of an existing feature, applied to that feature alone instead of
     * round-tripping the whole thing through JSON. Returns {@code null} for every other case, which
     * then takes the general path with the same result.
     */
    private static Thing mergeIntoFeature(Thing current, JsonPointer path, JsonValue patch) {
        if (path.size() < 3 || !path.first().equals("features")) {
            return null;
        }
        String member = path.get(2);
        boolean desired = member.equals("desiredProperties");
        if (!desired && !member.equals("properties")) {
            return null;
        }
        Feature feature = current.feature(path.get(1)).orElse(null);
        if (feature == null) {
            return null;
        }
        JsonObject target = desired ? feature.desiredProperties() : feature.properties();
        JsonObject base = target == null ? JsonObject.empty() : target;
        JsonPointer rest = path.skip(3);
        JsonObject next;
        if (rest.isEmpty()) {
            if (!(patch instanceof JsonObject)) {
                return null;
            }
            next = (JsonObject) MergePatch.apply(base, patch);
        } else {
            try {
                next = MergePatch.applyAt(base, rest, patch);
            } catch (IllegalArgumentException e) {
                throw TwinException.invalid("The merge patch cannot be applied at '" + path + "': " + e.getMessage() + ".",
                        "Merge objects into objects.");
            }
        }
        if (next == base) {
            return current;
        }
        return current.withFeature(desired ? feature.withDesiredProperties(next) : feature.withProperties(next));
    }

    /**
     * A binding's report of several features, {@code /features} with
     * {@code {"<id>":{"properties":{..},"desiredProperties":{..}}, ..}} for existing features, applied to those
     * features alone. Returns {@code null} for any other patch (a new or removed feature, another member),
     * which then takes the general path with the same result.
     */
    private static Thing mergeIntoFeatures(Thing current, JsonObject patch) {
        Thing next = current;
        for (int i = 0; i < patch.size(); i++) {
            if (!(patch.valueAt(i) instanceof JsonObject members) || members.isEmpty()) {
                return null;
            }
            Feature feature = next.feature(patch.keyAt(i)).orElse(null);
            if (feature == null) {
                return null;
            }
            Feature merged = feature;
            for (int j = 0; j < members.size(); j++) {
                String member = members.keyAt(j);
                boolean desired = member.equals("desiredProperties");
                if (!desired && !member.equals("properties") || !(members.valueAt(j) instanceof JsonObject values)) {
                    return null;
                }
                JsonObject target = desired ? merged.desiredProperties() : merged.properties();
                JsonObject base = target == null ? JsonObject.empty() : target;
                JsonObject after = (JsonObject) MergePatch.apply(base, values);
                if (after != base) {
                    merged = desired ? merged.withDesiredProperties(after) : merged.withProperties(after);
                }
            }
            if (merged != feature) {
                next = next.withFeature(merged);
            }
        }
        return next;
    }

    /**
     * The merge patch (relative to {@code /features}) that removes the desired properties a report
     * has satisfied: among the reported leaves {@code /features/<id>/properties/<key>[/...]}, each
     * {@code <key>} whose desired value now equals the reported one. A feature left without desired
     * properties loses the member. {@code null} when nothing is satisfied.
     */
    static JsonObject settledDesired(Thing thing, List<JsonPointer> leaves) {
        Map<String, JsonObject> removals = null;
        for (JsonPointer leaf : leaves) {
            if (leaf.size() < 4 || !leaf.first().equals("features") || !leaf.get(2).equals("properties")) {
                continue;
            }
            Feature feature = thing.feature(leaf.get(1)).orElse(null);
            JsonObject desired = feature == null ? null : feature.desiredProperties();
            String key = leaf.get(3);
            if (desired == null || !desired.contains(key) || feature.properties() == null
                    || !desired.getOrNull(key).equals(feature.properties().getOrNull(key))) {
                continue;
            }
            if (removals == null) {
                removals = new LinkedHashMap<>();
            }
            removals.merge(feature.id(), JsonObject.of(key, JsonNull.INSTANCE), JsonObject::setAll);
        }
        if (removals == null) {
            return null;
        }
        JsonObject.Builder patch = JsonObject.newBuilder();
        removals.forEach((featureId, keys) -> {
            JsonObject desired = thing.feature(featureId).orElseThrow().desiredProperties();
            JsonValue member = keys.size() == desired.size() ? JsonNull.INSTANCE : keys;
            patch.set(featureId, JsonObject.of("desiredProperties", member));
        });
        return patch.build();
    }

    /** Removes the value at a (non-root) path; 404 when there is none. */
    static Thing delete(Thing current, JsonPointer path) {
        checkWritablePath(current.thingId(), path);
        if (path.size() == 1 && path.first().equals("thingId")) {
            throw TwinException.invalid("The thingId cannot be deleted.", "Delete the thing instead.");
        }
        JsonObject json = current.toJson();
        if (json.getValue(path).isEmpty()) {
            throw notFound(current.thingId(), path);
        }
        return Thing.fromJson(json.remove(path), current.thingId());
    }

    static boolean exists(Thing current, JsonPointer path) {
        return path.isEmpty() || current.toJson().getValue(path).isPresent();
    }

    /** The leaves a merge patch touches, below {@code base}. */
    static List<JsonPointer> leaves(JsonPointer base, JsonValue patch) {
        List<JsonPointer> out = new ArrayList<>(4);
        collect(base, patch, out);
        return out;
    }

    private static void collect(JsonPointer base, JsonValue patch, List<JsonPointer> out) {
        if (patch instanceof JsonObject o && !o.isEmpty()) {
            for (int i = 0; i < o.size(); i++) {
                collect(base.append(o.keyAt(i)), o.valueAt(i), out);
            }
        } else {
            out.add(base);
        }
    }

    private static void checkWritablePath(ThingId id, JsonPointer path) {
        if (path.isEmpty()) {
            return;
        }
        String first = path.first();
        switch (first) {
            case "thingId" -> {
                throw TwinException.invalid("The thingId of '" + id + "' cannot be changed.", "Create a new thing instead.");
            }
            case "policyId", "definition" -> {
                if (path.size() > 1) {
                    throw TwinException.pathNotFound(id, path.toString());
                }
            }
            case "attributes", "features" -> {
                if (first.equals("features") && path.size() > 2) {
                    String member = path.get(2);
                    if (!member.equals("properties") && !member.equals("desiredProperties") && !member.equals("definition")) {
                        throw TwinException.pathNotFound(id, path.toString());
                    }
                    if (member.equals("definition") && path.size() > 3) {
                        throw TwinException.pathNotFound(id, path.toString());
                    }
                }
            }
            default -> throw TwinException.pathNotFound(id, path.toString());
        }
    }

    private static void requireFeatureForSubPath(Thing current, JsonPointer path) {
        if (path.size() > 2 && path.first().equals("features") && current.feature(path.get(1)).isEmpty()) {
            throw new TwinException(404, "things:feature.notfound",
                    "The Feature with ID '" + path.get(1) + "' on the Thing with ID '" + current.thingId() + "' could not be found.",
                    "Check if the ID of the Feature was correct, or create the feature first.");
        }
    }

    static TwinException notFound(ThingId id, JsonPointer path) {
        String first = path.first();
        if (first.equals("attributes")) {
            return new TwinException(404, path.size() == 1 ? "things:attributes.notfound" : "things:attribute.notfound",
                    "The attribute with key '" + path.skip(1) + "' on the thing with ID '" + id + "' could not be found.",
                    "Check if the key of your requested attribute was correct.");
        }
        if (first.equals("features")) {
            if (path.size() <= 2) {
                return new TwinException(404, path.size() == 1 ? "things:features.notfound" : "things:feature.notfound",
                        "The Feature with ID '" + (path.size() == 2 ? path.get(1) : "") + "' on the Thing with ID '" + id + "' could not be found.",
                        "Check if the ID of your requested Feature was correct.");
            }
            return new TwinException(404, "things:feature.property.notfound",
                    "The property '" + path.skip(3) + "' of the Feature '" + path.get(1) + "' on the Thing with ID '" + id + "' could not be found.",
                    "Check if the property path was correct.");
        }
        return TwinException.pathNotFound(id, path.toString());
    }

    private static JsonObject objectOrFail(JsonValue value, String what) {
        if (value instanceof JsonObject o) {
            return o;
        }
        if (value instanceof JsonNull) {
            throw TwinException.invalid("The value for " + what + " must not be null.", "Send a JSON object.");
        }
        throw TwinException.invalid("The value for " + what + " must be a JSON object but was " + value.typeName() + ".", "Send a JSON object.");
    }
}
