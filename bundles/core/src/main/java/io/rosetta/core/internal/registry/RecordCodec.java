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
import java.time.LocalDate;
import java.time.YearMonth;

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
        return v instanceof JsonString s ? epochMillis(s.value()) : 0;
    }

    /**
     * {@code Instant.parse(text).toEpochMilli()}, for the text {@code Instant.toString()} writes
     * ({@code 2026-11-26T07:55:39.123Z}, fraction optional) without the general formatter, which took
     * a quarter of a restart's time with a million twins; anything else goes to {@code Instant.parse}.
     */
    static long epochMillis(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z'
                || (n > 20 && text.charAt(19) != '.')) {
            return Instant.parse(text).toEpochMilli();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = 0;
        for (int i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return Instant.parse(text).toEpochMilli();
            }
            millis += d * scale;
        }
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59 || second > 59) {
            return Instant.parse(text).toEpochMilli();
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The decimal number of {@code count} digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
