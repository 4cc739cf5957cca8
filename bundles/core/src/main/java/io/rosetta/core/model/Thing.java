package io.rosetta.core.model;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A digital twin in the shape of an Eclipse Ditto Thing: {@code thingId}, {@code policyId},
 * {@code definition}, {@code attributes} and {@code features}, plus what the registry maintains:
 * revision, creation and modification time, connectivity, lifecycle state and last-seen time.
 * Immutable; the {@code with*} methods return a new thing or {@code this} when nothing changes.
 * Absent optional members are {@code null} internally and empty {@link Optional}s outside.
 */
public final class Thing {

    private static final Feature[] NO_FEATURES = new Feature[0];

    private final ThingId thingId;
    private final String policyId;
    private final String definition;
    private final JsonObject attributes;
    private final Feature[] features;
    private final long revision;
    private final long created;
    private final long modified;
    private final long lastSeen;
    private final ConnectivityStatus connectivity;
    private final LifecycleState lifecycle;

    private Thing(Builder b) {
        this.thingId = Objects.requireNonNull(b.thingId, "thingId");
        this.policyId = b.policyId;
        this.definition = b.definition;
        this.attributes = b.attributes;
        this.features = b.features;
        this.revision = b.revision;
        this.created = b.created;
        this.modified = b.modified;
        this.lastSeen = b.lastSeen;
        this.connectivity = b.connectivity == null ? ConnectivityStatus.UNKNOWN : b.connectivity;
        this.lifecycle = b.lifecycle == null ? LifecycleState.ACTIVE : b.lifecycle;
    }

    public static Builder newBuilder(ThingId thingId) {
        return new Builder(thingId);
    }

    public Builder toBuilder() {
        Builder b = new Builder(thingId);
        b.policyId = policyId;
        b.definition = definition;
        b.attributes = attributes;
        b.features = features;
        b.revision = revision;
        b.created = created;
        b.modified = modified;
        b.lastSeen = lastSeen;
        b.connectivity = connectivity;
        b.lifecycle = lifecycle;
        return b;
    }

    public ThingId thingId() {
        return thingId;
    }

    public Optional<String> policyId() {
        return Optional.ofNullable(policyId);
    }

    /** The semantic model id (a WoT Thing Model id or URL) this twin follows. */
    public Optional<String> definition() {
        return Optional.ofNullable(definition);
    }

    public Optional<JsonObject> attributes() {
        return Optional.ofNullable(attributes);
    }

    public List<Feature> features() {
        return features == null ? List.of() : Collections.unmodifiableList(Arrays.asList(features));
    }

    public boolean hasFeatures() {
        return features != null;
    }

    public Optional<Feature> feature(String id) {
        if (features != null) {
            for (Feature f : features) {
                if (f.id().equals(id)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    public long revision() {
        return revision;
    }

    public Instant created() {
        return Instant.ofEpochMilli(created);
    }

    public Instant modified() {
        return Instant.ofEpochMilli(modified);
    }

    public long createdMillis() {
        return created;
    }

    public long modifiedMillis() {
        return modified;
    }

    /** When a device last reported through its binding; 0 when never. */
    public long lastSeenMillis() {
        return lastSeen;
    }

    public ConnectivityStatus connectivity() {
        return connectivity;
    }

    public LifecycleState lifecycle() {
        return lifecycle;
    }

    public Thing withFeature(Feature feature) {
        Feature[] current = features == null ? NO_FEATURES : features;
        for (int i = 0; i < current.length; i++) {
            if (current[i].id().equals(feature.id())) {
                if (current[i] == feature) {
                    return this;
                }
                Feature[] copy = current.clone();
                copy[i] = feature;
                return toBuilder().features(copy).build();
            }
        }
        Feature[] copy = Arrays.copyOf(current, current.length + 1);
        copy[current.length] = feature;
        return toBuilder().features(copy).build();
    }

    /** The regular fields as Ditto's HTTP API v2 writes a thing. */
    public JsonObject toJson() {
        JsonObject.Builder b = JsonObject.newBuilder().set("thingId", JsonString.of(thingId.toString()));
        if (policyId != null) {
            b.set("policyId", JsonString.of(policyId));
        }
        if (definition != null) {
            b.set("definition", JsonString.of(definition));
        }
        if (attributes != null) {
            b.set("attributes", attributes);
        }
        if (features != null) {
            b.set("features", featuresJson());
        }
        return b.build();
    }

    /** The regular fields plus the special fields {@code _revision, _created, _modified, _lastSeen, _connectivity, _lifecycle}. */
    public JsonObject toJsonWithSpecialFields() {
        JsonObject.Builder b = toJson().toBuilder()
                .set("_revision", revision)
                .set("_created", Instant.ofEpochMilli(created).toString())
                .set("_modified", Instant.ofEpochMilli(modified).toString());
        if (lastSeen > 0) {
            b.set("_lastSeen", Instant.ofEpochMilli(lastSeen).toString());
        }
        JsonObject.Builder c = JsonObject.newBuilder().set("status", connectivity.status().name());
        if (connectivity.detail() != ConnectivityStatus.Detail.NONE) {
            c.set("detail", connectivity.detail().name());
        }
        if (connectivity.description() != null) {
            c.set("description", connectivity.description());
        }
        return b.set("_connectivity", c.build()).set("_lifecycle", lifecycle.name()).build();
    }

    /** The fields a Ditto {@code fields=} selection names (special fields included when named). */
    public JsonObject toJson(FieldSelector selector) {
        boolean special = false;
        for (var p : selector.pointers()) {
            if (p.first().startsWith("_")) {
                special = true;
                break;
            }
        }
        return selector.apply(special ? toJsonWithSpecialFields() : toJson());
    }

    public JsonObject featuresJson() {
        if (features == null) {
            return JsonObject.empty();
        }
        JsonObject.Builder b = JsonObject.newBuilder();
        for (Feature f : features) {
            b.set(f.id(), f.toJson());
        }
        return b.build();
    }

    /**
     * Reads the regular fields of a Ditto thing JSON. Members starting with '_' are ignored (they
     * are maintained by the registry); other unknown members, wrong types and a {@code thingId}
     * that differs from {@code expectedId} are refused with a 400 {@link TwinException}.
     */
    public static Thing fromJson(JsonObject json, ThingId expectedId) {
        ThingId id = expectedId;
        Builder b = null;
        String policyId = null;
        String definition = null;
        JsonObject attributes = null;
        Feature[] features = null;
        for (int i = 0; i < json.size(); i++) {
            String key = json.keyAt(i);
            JsonValue v = json.valueAt(i);
            switch (key) {
                case "thingId" -> {
                    ThingId given = ThingId.of(stringOf(key, v));
                    if (expectedId != null && !given.equals(expectedId)) {
                        throw TwinException.invalid("The thingId '" + given + "' in the body differs from '" + expectedId + "' in the request.",
                                "Leave thingId out of the body or make it match.");
                    }
                    id = given;
                }
                case "policyId" -> policyId = v.isNull() ? null : stringOf(key, v);
                case "definition" -> definition = v.isNull() ? null : stringOf(key, v);
                case "attributes" -> attributes = v.isNull() ? null : objectOf(key, v);
                case "features" -> features = v.isNull() ? null : featuresOf(objectOf(key, v));
                default -> {
                    if (!key.startsWith("_")) {
                        throw TwinException.invalid("The thing has an unknown member '" + key + "'.",
                                "A thing has the members thingId, policyId, definition, attributes and features.");
                    }
                }
            }
        }
        if (id == null) {
            throw TwinException.invalid("The thing has no thingId.", "Give the thing an id of the form 'namespace:name'.");
        }
        b = newBuilder(id).policyId(policyId).definition(definition).attributes(attributes);
        b.features = features;
        return b.build();
    }

    private static Feature[] featuresOf(JsonObject json) {
        Feature[] out = new Feature[json.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Feature.fromJson(json.keyAt(i), json.valueAt(i));
        }
        return out;
    }

    private static String stringOf(String key, JsonValue v) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw TwinException.invalid("The member '" + key + "' must be a string but was " + v.typeName() + ".", "Send '" + key + "' as a JSON string.");
    }

    private static JsonObject objectOf(String key, JsonValue v) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw TwinException.invalid("The member '" + key + "' must be a JSON object but was " + v.typeName() + ".", "Send '" + key + "' as a JSON object.");
    }

    /** Same content, revision, times and status. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Thing t && t.thingId.equals(thingId) && Objects.equals(t.policyId, policyId)
                && Objects.equals(t.definition, definition) && Objects.equals(t.attributes, attributes)
                && Objects.equals(t.featuresJsonOrNull(), featuresJsonOrNull()) && t.revision == revision
                && t.created == created && t.modified == modified && t.lastSeen == lastSeen
                && t.connectivity.equals(connectivity) && t.lifecycle == lifecycle;
    }

    private JsonObject featuresJsonOrNull() {
        return features == null ? null : featuresJson();
    }

    @Override
    public int hashCode() {
        return Objects.hash(thingId, revision, modified);
    }

    @Override
    public String toString() {
        return toJsonWithSpecialFields().toString();
    }

    /** Builds things; the registry sets revision, times and status. */
    public static final class Builder {
        private final ThingId thingId;
        private String policyId;
        private String definition;
        private JsonObject attributes;
        private Feature[] features;
        private long revision;
        private long created;
        private long modified;
        private long lastSeen;
        private ConnectivityStatus connectivity;
        private LifecycleState lifecycle;

        private Builder(ThingId thingId) {
            this.thingId = Objects.requireNonNull(thingId, "thingId");
        }

        public Builder policyId(String policyId) {
            this.policyId = policyId;
            return this;
        }

        public Builder definition(String definition) {
            this.definition = definition;
            return this;
        }

        public Builder attributes(JsonObject attributes) {
            this.attributes = attributes;
            return this;
        }

        public Builder attribute(String key, JsonValue value) {
            this.attributes = (attributes == null ? JsonObject.empty() : attributes).set(key, value);
            return this;
        }

        public Builder features(List<Feature> features) {
            if (features == null) {
                this.features = null;
                return this;
            }
            List<Feature> unique = new ArrayList<>(features.size());
            for (Feature f : features) {
                unique.removeIf(existing -> existing.id().equals(f.id()));
                unique.add(f);
            }
            this.features = unique.toArray(NO_FEATURES);
            return this;
        }

        Builder features(Feature[] features) {
            this.features = features;
            return this;
        }

        public Builder feature(Feature feature) {
            Feature[] current = features == null ? NO_FEATURES : features;
            List<Feature> list = new ArrayList<>(Arrays.asList(current));
            list.removeIf(f -> f.id().equals(feature.id()));
            list.add(feature);
            this.features = list.toArray(NO_FEATURES);
            return this;
        }

        public Builder revision(long revision) {
            this.revision = revision;
            return this;
        }

        public Builder created(long createdMillis) {
            this.created = createdMillis;
            return this;
        }

        public Builder modified(long modifiedMillis) {
            this.modified = modifiedMillis;
            return this;
        }

        public Builder lastSeen(long lastSeenMillis) {
            this.lastSeen = lastSeenMillis;
            return this;
        }

        public Builder connectivity(ConnectivityStatus connectivity) {
            this.connectivity = connectivity;
            return this;
        }

        public Builder lifecycle(LifecycleState lifecycle) {
            this.lifecycle = lifecycle;
            return this;
        }

        public Thing build() {
            return new Thing(this);
        }
    }
}
