package io.rosetta.devices;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.util.ArrayList;
import java.util.List;

/**
 * A device's configuration, desired against reported. Desired: the configuration set through the registry, with what
 * the {@code desiredProperties} of the twin's {@value #FEATURE} feature still hold on top (the binding delivers those
 * to the device; the twin drops a desired value once the device reports it). Reported: that feature's
 * {@code properties}, what the device says it runs with. Compared leaf by leaf (JSON pointers).
 */
public record ConfigurationStatus(String deviceId, ThingId thingId, JsonObject desired, JsonObject reported, List<Entry> entries) {

    /** The twin feature that carries a device's configuration. */
    public static final String FEATURE = "configuration";

    public enum State {
        /** The device reports the desired value. */
        APPLIED,
        /** Desired, not (yet) reported as such. */
        PENDING,
        /** Reported by the device, never desired. */
        REPORTED_ONLY
    }

    /** One leaf: its JSON pointer ({@code /interval}, {@code /thresholds/high}), both values ({@code null} when absent). */
    public record Entry(String path, JsonValue desired, JsonValue reported, State state) {

        public JsonObject toJson() {
            JsonObject.Builder b = JsonObject.newBuilder().set("path", path);
            if (desired != null) {
                b.set("desired", desired);
            }
            if (reported != null) {
                b.set("reported", reported);
            }
            return b.set("state", state.name()).build();
        }
    }

    public ConfigurationStatus {
        entries = List.copyOf(entries);
    }

    public List<Entry> pending() {
        return entries.stream().filter(e -> e.state() == State.PENDING).toList();
    }

    public boolean inSync() {
        return pending().isEmpty();
    }

    public JsonObject toJson() {
        List<JsonValue> list = new ArrayList<>(entries.size());
        entries.forEach(e -> list.add(e.toJson()));
        return JsonObject.newBuilder().set("deviceId", deviceId).set("thingId", thingId.toString()).set("desired", desired)
                .set("reported", reported).set("pending", pending().size()).set("entries", JsonArray.of(list)).build();
    }
}
