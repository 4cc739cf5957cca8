package io.rosetta.core.internal.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Journal and snapshot payloads as compact JSON. A change record names the operation, the thing,
 * the revision and time it produced, and the change as requested; replaying it through
 * {@link ThingOps} yields the same twin. Snapshots hold whole twins with their special fields.
 */
final class RecordCodec {

    private static final ThreadLocal<RecordWriter> WRITER = ThreadLocal.withInitial(RecordWriter::new);

    static final String CREATE = "create";
    static final String PUT = "put";
    static final String MODIFY = "modify";
    static final String MERGE = "merge";
    static final String REPORT = "report";
    static final String DELETE = "delete";
    static final String CONNECTIVITY = "conn";
    static final String LIFECYCLE = "life";

    private RecordCodec() {
    }

    static byte[] whole(String op, Thing thing) {
        return Json.writeBytes(JsonObject.newBuilder()
                .set("o", op)
                .set("i", thing.thingId().toString())
                .set("r", thing.revision())
                .set("t", thing.modifiedMillis())
                .set("v", thing.toJsonWithSpecialFields())
                .build());
    }

    static byte[] change(String op, ThingId id, long revision, long time, JsonPointer path, JsonValue value, long seen) {
        RecordWriter w = WRITER.get();
        try {
            JsonGenerator g = w.generator;
            g.writeStartObject();
            g.writeStringField("o", op);
            g.writeStringField("i", id.toString());
            g.writeNumberField("r", revision);
            g.writeNumberField("t", time);
            g.writeStringField("p", path.toString());
            if (value != null) {
                g.writeFieldName("v");
                Json.write(g, value);
            }
            if (seen > 0) {
                g.writeNumberField("s", seen);
            }
            g.writeEndObject();
            g.flush();
            return w.take();
        } catch (IOException e) {
            WRITER.remove();
            throw new UncheckedIOException(e);
        }
    }

    /** A generator kept open on a reusable buffer: one per writing thread, no set-up per record. */
    private static final class RecordWriter {
        final ByteArrayBuilder out = new ByteArrayBuilder(512);
        final JsonGenerator generator;

        RecordWriter() {
            try {
                generator = Json.factory().createGenerator(out);
                generator.setRootValueSeparator(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] take() {
            byte[] bytes = out.toByteArray();
            out.reset();
            return bytes;
        }
    }

    static byte[] status(ThingId id, long revision, long time, ConnectivityStatus status) {
        return Json.writeBytes(JsonObject.newBuilder()
                .set("o", CONNECTIVITY)
                .set("i", id.toString())
                .set("r", revision)
                .set("t", time)
                .set("v", connectivityJson(status))
                .build());
    }

    static byte[] lifecycle(ThingId id, long revision, long time, LifecycleState state) {
        return Json.writeBytes(JsonObject.newBuilder()
                .set("o", LIFECYCLE)
                .set("i", id.toString())
                .set("r", revision)
                .set("t", time)
                .set("v", state.name())
                .build());
    }

    static byte[] snapshot(Thing thing) {
        return Json.writeBytes(thing.toJsonWithSpecialFields());
    }

    static JsonObject connectivityJson(ConnectivityStatus s) {
        JsonObject.Builder c = JsonObject.newBuilder().set("status", s.status().name());
        if (s.detail() != ConnectivityStatus.Detail.NONE) {
            c.set("detail", s.detail().name());
        }
        if (s.description() != null) {
            c.set("description", s.description());
        }
        return c.build();
    }

    static ConnectivityStatus connectivityOf(JsonValue v) {
        if (!(v instanceof JsonObject o)) {
            return ConnectivityStatus.UNKNOWN;
        }
        ConnectivityStatus.Status status = ConnectivityStatus.Status.valueOf(string(o, "status", "UNKNOWN"));
        ConnectivityStatus.Detail detail = ConnectivityStatus.Detail.valueOf(string(o, "detail", "NONE"));
        String description = string(o, "description", null);
        return description == null ? ConnectivityStatus.of(status, detail) : new ConnectivityStatus(status, detail, description);
    }

    /** A whole twin from its JSON with special fields (snapshots, create and put records). */
    static Thing thingOf(JsonObject json) {
        Thing content = Thing.fromJson(json, null);
        return content.toBuilder()
                .revision(number(json, "_revision"))
                .created(time(json, "_created"))
                .modified(time(json, "_modified"))
                .lastSeen(time(json, "_lastSeen"))
                .connectivity(connectivityOf(json.getOrNull("_connectivity")))
                .lifecycle(LifecycleState.valueOf(string(json, "_lifecycle", LifecycleState.ACTIVE.name())))
                .build();
    }

    static String string(JsonObject o, String key, String fallback) {
        JsonValue v = o.getOrNull(key);
        return v instanceof JsonString s ? s.value() : fallback;
    }

    static long number(JsonObject o, String key) {
        JsonValue v = o.getOrNull(key);
        return v instanceof JsonNumber n ? n.longValue() : 0;
    }

    private static long time(JsonObject o, String key) {
        JsonValue v = o.getOrNull(key);
        return v instanceof JsonString s ? Instant.parse(s.value()).toEpochMilli() : 0;
    }
}
