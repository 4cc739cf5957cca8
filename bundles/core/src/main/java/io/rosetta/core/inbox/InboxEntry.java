package io.rosetta.core.inbox;

import io.rosetta.core.binding.Device;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One device in the inbox: the device as the binding proposes to attach it, the dialect and connection
 * it was discovered on, the attributes its twin gets, when it was first and last seen and how often it
 * was announced, its status, and who decided about it and when ({@code null} while pending).
 */
public record InboxEntry(Device device, Status status, String dialect, String source, JsonObject attributes, Instant discovered,
                         Instant lastSeen, long announcements, String decidedBy, Instant decidedAt) {

    /** Where an entry stands. */
    public enum Status {
        PENDING, APPROVED, REJECTED;

        /** Parses a status, ignoring case; throws {@link IllegalArgumentException} naming the allowed values. */
        public static Status parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("status must be PENDING, APPROVED or REJECTED but was '" + text + "'");
            }
        }
    }

    public InboxEntry {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(discovered, "discovered");
        dialect = dialect == null ? "" : dialect;
        source = source == null ? "" : source;
        attributes = attributes == null ? JsonObject.empty() : attributes;
        lastSeen = lastSeen == null ? discovered : lastSeen;
    }

    public ThingId thingId() {
        return device.thingId();
    }

    public String bindingId() {
        return device.bindingId();
    }

    public String model() {
        return device.model();
    }

    /** This entry with a new status, decided by {@code who} at {@code when}. */
    public InboxEntry decided(Status newStatus, String who, Instant when) {
        return new InboxEntry(device, newStatus, dialect, source, attributes, discovered, lastSeen, announcements, who, when);
    }

    /** This entry seen again at {@code when}, with what the binding proposes now. */
    public InboxEntry seen(Discovery d, Instant when) {
        return new InboxEntry(d.device(), status, d.dialect(), d.source(), d.attributes().isEmpty() ? attributes : d.attributes(), discovered,
                when, announcements + 1, decidedBy, decidedAt);
    }

    /** This entry seen again at {@code when}, nothing else changed (a rejected device's messages). */
    public InboxEntry seen(Instant when) {
        return new InboxEntry(device, status, dialect, source, attributes, discovered, when, announcements + 1, decidedBy, decidedAt);
    }

    /**
     * The entry as JSON, as the API and the shell show it and the inbox stores it:
     * {@code {"thingId","status","binding","dialect","source","model","attributes","configuration","discovered","lastSeen",
     * "announcements","decidedBy","decidedAt"}}.
     */
    public JsonObject toJson() {
        JsonObject.Builder b = JsonObject.newBuilder()
                .set("thingId", thingId().toString())
                .set("status", status.name())
                .set("binding", device.bindingId())
                .set("dialect", dialect)
                .set("source", source);
        if (device.model() != null) {
            b.set("model", device.model());
        }
        b.set("attributes", attributes)
                .set("configuration", device.configuration())
                .set("discovered", discovered.toString())
                .set("lastSeen", lastSeen.toString())
                .set("announcements", announcements);
        if (decidedBy != null) {
            b.set("decidedBy", decidedBy);
        }
        if (decidedAt != null) {
            b.set("decidedAt", decidedAt.toString());
        }
        return b.build();
    }

    /** Reads what {@link #toJson()} wrote; throws {@link IllegalArgumentException} for anything else. */
    public static InboxEntry fromJson(JsonObject o) {
        try {
            ThingId id = ThingId.of(text(o, "thingId", true));
            Device device = new Device(id, text(o, "binding", true), text(o, "model", false),
                    o.getOrNull("configuration") instanceof JsonObject c ? c : JsonObject.empty());
            String decidedAt = text(o, "decidedAt", false);
            String lastSeen = text(o, "lastSeen", false);
            return new InboxEntry(device, Status.parse(text(o, "status", true)), text(o, "dialect", false), text(o, "source", false),
                    o.getOrNull("attributes") instanceof JsonObject a ? a : JsonObject.empty(), Instant.parse(text(o, "discovered", true)),
                    lastSeen == null ? null : Instant.parse(lastSeen),
                    o.getOrNull("announcements") instanceof io.rosetta.core.json.JsonNumber n ? n.longValue() : 1,
                    text(o, "decidedBy", false), decidedAt == null ? null : Instant.parse(decidedAt));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an inbox entry: " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject o, String key, boolean required) {
        JsonValue v = o.getOrNull(key);
        if (v instanceof JsonString s) {
            return s.value();
        }
        if (required) {
            throw new IllegalArgumentException("'" + key + "' is required");
        }
        return null;
    }
}
