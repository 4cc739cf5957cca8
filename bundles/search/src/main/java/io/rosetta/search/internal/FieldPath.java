package io.rosetta.search.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import java.util.function.Consumer;

/**
 * A query property of RQL: a field of the Ditto thing JSON ({@code thingId}, {@code policyId},
 * {@code definition}, {@code attributes/...}, {@code features/<id>/properties/...},
 * {@code features/<id>/desiredProperties/...}, {@code features/<id>/definition}), a special field
 * ({@code _revision}, {@code _modified}, {@code _created}, {@code _namespace}), with {@code *} as a
 * feature id matching every feature. Resolving a path yields its values: a path through an array
 * continues in each of the array's objects, as Ditto's search does.
 */
public final class FieldPath {

    /** Where a path starts. */
    enum Root { THING_ID, NAMESPACE, POLICY_ID, DEFINITION, REVISION, MODIFIED, CREATED, ATTRIBUTES, FEATURES }

    /** The part of a feature a path goes into ({@code NONE}: the feature itself). */
    enum Part { NONE, PROPERTIES, DESIRED_PROPERTIES, DEFINITION }

    static final String WILDCARD = "*";

    private final String text;
    private final Root root;
    /** The feature id or {@link #WILDCARD}; null for other roots and for {@code features} itself. */
    private final String featureId;
    private final Part part;
    /** Below attributes, or below a feature's part. */
    private final JsonPointer rest;

    private FieldPath(String text, Root root, String featureId, Part part, JsonPointer rest) {
        this.text = text;
        this.root = root;
        this.featureId = featureId;
        this.part = part;
        this.rest = rest;
    }

    /**
     * Reads a property as written in RQL (with or without the leading slash).
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static FieldPath of(String property) {
        JsonPointer p;
        try {
            p = JsonPointer.of(property);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + property + "' is not a valid JSON pointer: " + e.getMessage());
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("the property is empty");
        }
        String first = p.first();
        String canonical = p.toString().substring(1);
        switch (first) {
            case "thingId", "policyId", "definition", "_namespace", "_revision", "_modified", "_created" -> {
                if (p.size() > 1) {
                    throw new IllegalArgumentException("'" + first + "' has no members ('" + property + "')");
                }
                Root r = switch (first) {
                    case "thingId" -> Root.THING_ID;
                    case "policyId" -> Root.POLICY_ID;
                    case "definition" -> Root.DEFINITION;
                    case "_namespace" -> Root.NAMESPACE;
                    case "_revision" -> Root.REVISION;
                    case "_modified" -> Root.MODIFIED;
                    default -> Root.CREATED;
                };
                return new FieldPath(canonical, r, null, Part.NONE, JsonPointer.empty());
            }
            case "attributes" -> {
                return new FieldPath(canonical, Root.ATTRIBUTES, null, Part.NONE, p.skip(1));
            }
            case "features" -> {
                if (p.size() == 1) {
                    return new FieldPath(canonical, Root.FEATURES, null, Part.NONE, JsonPointer.empty());
                }
                String id = p.get(1);
                if (p.size() == 2) {
                    return new FieldPath(canonical, Root.FEATURES, id, Part.NONE, JsonPointer.empty());
                }
                Part part = switch (p.get(2)) {
                    case "properties" -> Part.PROPERTIES;
                    case "desiredProperties" -> Part.DESIRED_PROPERTIES;
                    case "definition" -> Part.DEFINITION;
                    default -> throw new IllegalArgumentException("a feature has 'properties', 'desiredProperties' and 'definition', not '"
                            + p.get(2) + "' ('" + property + "')");
                };
                if (part == Part.DEFINITION && p.size() > 3) {
                    throw new IllegalArgumentException("a feature's definition has no members ('" + property + "')");
                }
                return new FieldPath(canonical, Root.FEATURES, id, part, p.skip(3));
            }
            default -> throw new IllegalArgumentException("unknown property '" + property
                    + "': use thingId, policyId, definition, _namespace, _revision, _modified, _created, attributes/... or features/...");
        }
    }

    Root root() {
        return root;
    }

    /** Whether values of this path are times, given in RQL as ISO-8601 strings and compared as instants. */
    boolean isTime() {
        return root == Root.MODIFIED || root == Root.CREATED;
    }

    /**
     * Calls {@code sink} with every value at this path (objects and arrays included, arrays not
     * flattened): nothing when the path does not exist in the thing.
     */
    void resolve(Thing thing, Consumer<JsonValue> sink) {
        switch (root) {
            case THING_ID -> sink.accept(JsonString.of(thing.thingId().toString()));
            case NAMESPACE -> sink.accept(JsonString.of(thing.thingId().namespace()));
            case POLICY_ID -> thing.policyId().ifPresent(v -> sink.accept(JsonString.of(v)));
            case DEFINITION -> thing.definition().ifPresent(v -> sink.accept(JsonString.of(v)));
            case REVISION -> sink.accept(JsonNumber.of(thing.revision()));
            case MODIFIED -> sink.accept(JsonNumber.of(thing.modifiedMillis()));
            case CREATED -> sink.accept(JsonNumber.of(thing.createdMillis()));
            case ATTRIBUTES -> thing.attributes().ifPresent(a -> walk(a, rest, 0, sink));
            case FEATURES -> features(thing, sink);
        }
    }

    private void features(Thing thing, Consumer<JsonValue> sink) {
        if (!thing.hasFeatures()) {
            return;
        }
        if (featureId == null) {
            sink.accept(thing.featuresJson());
            return;
        }
        if (WILDCARD.equals(featureId)) {
            for (Feature f : thing.features()) {
                feature(f, sink);
            }
        } else {
            thing.feature(featureId).ifPresent(f -> feature(f, sink));
        }
    }

    private void feature(Feature f, Consumer<JsonValue> sink) {
        switch (part) {
            case NONE -> sink.accept(f.toJson());
            case DEFINITION -> {
                if (f.definition() != null) {
                    sink.accept(f.definition());
                }
            }
            case PROPERTIES -> {
                if (f.properties() != null) {
                    walk(f.properties(), rest, 0, sink);
                }
            }
            case DESIRED_PROPERTIES -> {
                if (f.desiredProperties() != null) {
                    walk(f.desiredProperties(), rest, 0, sink);
                }
            }
        }
    }

    private static void walk(JsonValue value, JsonPointer path, int level, Consumer<JsonValue> sink) {
        if (level == path.size()) {
            sink.accept(value);
            return;
        }
        if (value instanceof JsonObject o) {
            JsonValue child = o.getOrNull(path.get(level));
            if (child != null) {
                walk(child, path, level + 1, sink);
            }
        } else if (value instanceof JsonArray a) {
            for (JsonValue item : a) {
                if (item instanceof JsonObject || item instanceof JsonArray) {
                    walk(item, path, level, sink);
                }
            }
        }
    }

    /**
     * The one value at this path without collecting ({@link #resolve} allocates a callback per call): the value,
     * or {@code null} when the path does not exist. A {@link JsonArray} result means "more than one value may be
     * here" (the array is at the end of the path or the path continues through it): use {@link #resolve} then.
     * Only for paths with {@link #isSingle()}.
     */
    JsonValue single(Thing thing) {
        JsonValue start;
        switch (root) {
            case ATTRIBUTES -> start = thing.attributes().orElse(null);
            case FEATURES -> {
                Feature f = thing.feature(featureId).orElse(null);
                if (f == null) {
                    return null;
                }
                start = switch (part) {
                    case NONE -> f.toJson();
                    case DEFINITION -> f.definition();
                    case PROPERTIES -> f.properties();
                    case DESIRED_PROPERTIES -> f.desiredProperties();
                };
                if (part == Part.DEFINITION) {
                    return start;
                }
            }
            default -> {
                JsonValue[] one = {null};
                resolve(thing, v -> one[0] = v);
                return one[0];
            }
        }
        JsonValue current = start;
        for (int level = 0; current != null && level < rest.size(); level++) {
            if (current instanceof JsonObject o) {
                current = o.getOrNull(rest.get(level));
            } else if (current instanceof JsonArray) {
                return current;
            } else {
                return null;
            }
        }
        return current;
    }

    /** Whether the path names at most one place in a thing (no wildcard feature, not {@code features} itself). */
    boolean isSingle() {
        return root != Root.FEATURES || featureId != null && !WILDCARD.equals(featureId);
    }

    /**
     * Calls {@code sink} with every scalar value at this path: arrays are flattened (a search for
     * {@code eq(attributes/tags,"a")} matches {@code "tags":["a","b"]}), objects are skipped.
     */
    void scalars(Thing thing, Consumer<JsonValue> sink) {
        resolve(thing, v -> flatten(v, sink));
    }

    private static void flatten(JsonValue v, Consumer<JsonValue> sink) {
        if (v instanceof JsonArray a) {
            for (JsonValue item : a) {
                flatten(item, sink);
            }
        } else if (!(v instanceof JsonObject)) {
            sink.accept(v);
        }
    }

    /** Whether the path has a value (of any type, null included) in the thing. */
    boolean exists(Thing thing) {
        boolean[] found = {false};
        resolve(thing, v -> found[0] = true);
        return found[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath f && f.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The canonical text: no leading slash, JSON pointer escapes where needed. */
    @Override
    public String toString() {
        return text;
    }
}
