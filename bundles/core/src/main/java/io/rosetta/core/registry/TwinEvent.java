package io.rosetta.core.registry;

import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.List;

/**
 * What happened to a twin, in the order the registry applied it. {@code path} and {@code value}
 * are the change as requested (a Ditto event's path and value); {@code changedPaths} are the
 * leaves it touched; {@code thing} is the twin afterwards ({@code null} after a delete).
 */
public record TwinEvent(Type type, ThingId thingId, long revision, long timestamp, JsonPointer path, JsonValue value,
                        List<JsonPointer> changedPaths, Thing thing) {

    public enum Type {
        /** A new thing. */
        CREATED,
        /** A thing or a part of it replaced (HTTP PUT, Ditto "modify"). */
        MODIFIED,
        /** A merge patch applied (HTTP PATCH, Ditto "merge"). */
        MERGED,
        /** A thing or a part of it removed. */
        DELETED,
        /** Connectivity status changed (path {@code /_connectivity}). */
        CONNECTIVITY_CHANGED,
        /** Lifecycle state changed (path {@code /_lifecycle}). */
        LIFECYCLE_CHANGED
    }

    public TwinEvent {
        changedPaths = List.copyOf(changedPaths);
    }
}
