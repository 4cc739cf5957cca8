package io.rosetta.api.ditto;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.registry.TwinEvent;
import java.time.Instant;

/**
 * Twin events as Ditto protocol events: {@code <ns>/<name>/things/twin/events/created|modified|merged|deleted}
 * with the change's path and value, the thing's {@code revision} and the {@code timestamp}.
 * Connectivity and lifecycle changes are Rosetta's own and have no Ditto event: they are not sent.
 */
public final class DittoEvents {

    private static final JsonObject HEADERS = JsonObject.newBuilder().set("content-type", "application/json").build();
    private static final JsonObject MERGE_HEADERS = JsonObject.newBuilder().set("content-type", "application/merge-patch+json").build();

    private DittoEvents() {
    }

    /** The event envelope, or {@code null} when the event has no Ditto counterpart. */
    public static DittoEnvelope toEnvelope(TwinEvent event, FieldSelector extraFields) {
        String action = switch (event.type()) {
            case CREATED -> "created";
            case MODIFIED -> "modified";
            case MERGED -> "merged";
            case DELETED -> "deleted";
            case CONNECTIVITY_CHANGED, LIFECYCLE_CHANGED -> null;
        };
        if (action == null) {
            return null;
        }
        JsonObject extra = extraFields != null && event.thing() != null ? event.thing().toJson(extraFields) : null;
        return new DittoEnvelope(DittoTopic.of(event.thingId(), DittoTopic.EVENTS, action),
                event.type() == TwinEvent.Type.MERGED ? MERGE_HEADERS : HEADERS, event.path(),
                event.type() == TwinEvent.Type.DELETED ? null : event.value(), 0, null, event.revision(),
                Instant.ofEpochMilli(event.timestamp()).toString(), extra);
    }
}
