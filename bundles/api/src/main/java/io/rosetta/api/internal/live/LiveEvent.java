package io.rosetta.api.internal.live;

import io.rosetta.api.ditto.DittoEnvelope;
import io.rosetta.api.ditto.DittoEvents;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNull;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.Thing;
import io.rosetta.core.registry.TwinEvent;
import java.time.Instant;

/**
 * A twin event with its position in the {@link LiveEventLog} ({@code seq}, the SSE {@code id}) and
 * its wire forms, each written once however many clients receive it.
 */
public final class LiveEvent {

    private static final String DELETED = "_deleted";

    private final long seq;
    private final TwinEvent event;
    /** The thing before a removal of the whole thing ({@code null} otherwise, or when it was not known). */
    private final Thing removed;
    private volatile byte[] sseData;
    private volatile String dittoText;
    private volatile boolean dittoDone;

    LiveEvent(long seq, TwinEvent event) {
        this(seq, event, null);
    }

    LiveEvent(long seq, TwinEvent event, Thing removed) {
        this.seq = seq;
        this.event = event;
        this.removed = removed;
    }

    public long seq() {
        return seq;
    }

    public TwinEvent event() {
        return event;
    }

    /**
     * The thing a live filter is evaluated against: the twin after the change, or for a removed thing its
     * last state before the removal ({@code null} when that was not known).
     */
    Thing filterTarget() {
        return event.thing() != null ? event.thing() : removed;
    }

    /**
     * The changed part of the thing, as Ditto's SSE writes it: {@code thingId} and the change at its
     * path ({@code {"thingId":"a:b","features":{"t":{"properties":{"value":21}}}}}); a created or
     * replaced thing whole; a merge as its patch; a removed part as {@code null} at its path; a removed
     * thing as {@code {"thingId":..,"_deleted":true}}; connectivity and lifecycle as {@code _connectivity}
     * and {@code _lifecycle}.
     */
    static JsonObject changedPart(TwinEvent e) {
        JsonObject base = JsonObject.of("thingId", JsonString.of(e.thingId().toString()));
        if (e.type() == TwinEvent.Type.DELETED) {
            return e.path().isEmpty() ? base.set(DELETED, JsonBoolean.TRUE) : base.set(e.path(), JsonNull.INSTANCE);
        }
        JsonValue value = e.value() == null ? JsonNull.INSTANCE : e.value();
        if (e.path().isEmpty()) {
            return value instanceof JsonObject o ? base.setAll(o) : base;
        }
        return base.set(e.path(), value);
    }

    /** The SSE {@code data} without a field selection, as UTF-8 JSON (the caller must not change the array). */
    byte[] sseData() {
        byte[] b = sseData;
        if (b == null) {
            b = Json.writeBytes(changedPart(event));
            sseData = b;
        }
        return b;
    }

    /**
     * The SSE {@code data} for a field selection as UTF-8 JSON, or {@code null} when the change touches none of the
     * selected fields (a removed thing is always sent). {@code _revision} and {@code _modified} can be selected.
     */
    byte[] sseData(FieldSelector fields) {
        if (fields == null) {
            return sseData();
        }
        JsonObject changed = changedPart(event);
        if (changed.contains(DELETED)) {
            return Json.writeBytes(changed);
        }
        if (namesThingParts(fields) && fields.apply(changed.remove("thingId")).isEmpty()) {
            return null;
        }
        JsonObject all = changed.set("_revision", JsonNumber.of(event.revision()))
                .set("_modified", JsonString.of(Instant.ofEpochMilli(event.timestamp()).toString()));
        return Json.writeBytes(fields.apply(all));
    }

    /** Whether the selection names a part of the thing (not only thingId and special fields). */
    private static boolean namesThingParts(FieldSelector fields) {
        for (var p : fields.pointers()) {
            if (!p.first().equals("thingId") && !p.first().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** The Ditto protocol event envelope as text, or {@code null} when the event has no Ditto counterpart. */
    String dittoText(FieldSelector extraFields) {
        if (extraFields != null) {
            DittoEnvelope e = DittoEvents.toEnvelope(event, extraFields);
            return e == null ? null : e.toText();
        }
        if (!dittoDone) {
            DittoEnvelope e = DittoEvents.toEnvelope(event, null);
            dittoText = e == null ? null : e.toText();
            dittoDone = true;
        }
        return dittoText;
    }
}
