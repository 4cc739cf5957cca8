package io.rosetta.routes.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.registry.TwinEvent;
import java.time.Instant;

/**
 * A twin event as the Ditto protocol writes it on the WebSocket:
 * {@code {"topic":"<ns>/<name>/things/twin/events/<action>","headers":{...},"path":"/features/...","value":...,
 * "revision":7,"timestamp":"2026-..."}}, with {@code extra} when fields are selected. Connectivity and lifecycle changes,
 * which Ditto does not know, are {@code modified} events at {@code /_connectivity} and {@code /_lifecycle}.
 */
final class DittoEventEnvelope {

    private static final JsonObject HEADERS = JsonObject.newBuilder().set("content-type", "application/json").build();
    private static final JsonObject MERGE_HEADERS = JsonObject.newBuilder().set("content-type", "application/merge-patch+json").build();

    private DittoEventEnvelope() {
    }

    static String action(TwinEvent.Type type) {
        return switch (type) {
            case CREATED -> "created";
            case MODIFIED, CONNECTIVITY_CHANGED, LIFECYCLE_CHANGED -> "modified";
            case MERGED -> "merged";
            case DELETED -> "deleted";
        };
    }

    /** The value of the {@link RosettaHeaders#EVENT_TYPE} header. */
    static String typeName(TwinEvent.Type type) {
        return switch (type) {
            case CONNECTIVITY_CHANGED -> "connectivity";
            case LIFECYCLE_CHANGED -> "lifecycle";
            default -> action(type);
        };
    }

    static String timestamp(TwinEvent event) {
        return Instant.ofEpochMilli(event.timestamp()).toString();
    }

    static String pathText(TwinEvent event) {
        return event.path().isEmpty() ? "/" : event.path().toString();
    }

    static String toJson(TwinEvent event, FieldSelector extraFields) {
        String topic = event.thingId().namespace() + "/" + event.thingId().name() + "/things/twin/events/" + action(event.type());
        JsonObject.Builder b = JsonObject.newBuilder()
                .set("topic", topic)
                .set("headers", event.type() == TwinEvent.Type.MERGED ? MERGE_HEADERS : HEADERS)
                .set("path", pathText(event));
        if (event.type() != TwinEvent.Type.DELETED && event.value() != null) {
            b.set("value", event.value());
        }
        if (extraFields != null && event.thing() != null) {
            b.set("extra", event.thing().toJson(extraFields));
        }
        b.set("revision", event.revision());
        b.set("timestamp", timestamp(event));
        return Json.write(b.build());
    }
}
