package io.rosetta.devices.internal;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.devices.ConfigurationStatus;
import io.rosetta.devices.ConfigurationStatus.Entry;
import io.rosetta.devices.ConfigurationStatus.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Desired against reported configuration, leaf by leaf: a leaf is a value that is not a non-empty object. */
final class ConfigDiff {

    private ConfigDiff() {
    }

    static List<Entry> entries(JsonObject desired, JsonObject reported) {
        Map<String, JsonValue> want = new LinkedHashMap<>();
        leaves(JsonPointer.empty(), desired, want);
        Map<String, JsonValue> have = new LinkedHashMap<>();
        leaves(JsonPointer.empty(), reported, have);
        List<Entry> out = new ArrayList<>();
        want.forEach((path, value) -> {
            JsonValue r = have.get(path);
            out.add(new Entry(path, value, r, value.equals(r) || numericallyEqual(value, r) ? State.APPLIED : State.PENDING));
        });
        have.forEach((path, value) -> {
            if (!want.containsKey(path)) {
                out.add(new Entry(path, null, value, State.REPORTED_ONLY));
            }
        });
        return out;
    }

    /** {@code 30} and {@code 30.0} are the same setting. */
    private static boolean numericallyEqual(JsonValue a, JsonValue b) {
        return a instanceof io.rosetta.core.json.JsonNumber x && b instanceof io.rosetta.core.json.JsonNumber y
                && Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }

    private static void leaves(JsonPointer at, JsonObject o, Map<String, JsonValue> out) {
        for (Map.Entry<String, JsonValue> e : o) {
            JsonPointer p = at.append(e.getKey());
            if (e.getValue() instanceof JsonObject child && !child.isEmpty()) {
                leaves(p, child, out);
            } else {
                out.put(p.toString(), e.getValue());
            }
        }
    }

    static ConfigurationStatus status(String deviceId, io.rosetta.core.model.ThingId thingId, JsonObject desired, JsonObject reported) {
        return new ConfigurationStatus(deviceId, thingId, desired, reported, entries(desired, reported));
    }
}
