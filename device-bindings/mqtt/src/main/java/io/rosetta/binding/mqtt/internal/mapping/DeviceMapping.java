package io.rosetta.binding.mqtt.internal.mapping;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.List;
import java.util.Objects;

/**
 * The mapping of one device type in one dialect onto one semantic model, as a mapping file
 * declares it. A payload of an unknown device selects the mapping of the highest {@code priority}
 * whose {@code matchAll} pointers are all present and of whose {@code matchAny} pointers at least
 * one is present (in a message of kind {@code message} when given).
 */
public record DeviceMapping(String id, String dialect, String model, int priority, String message, List<List<String>> matchAll,
                            List<List<String>> matchAny, List<MappingRule> rules, List<CommandRule> commands) {

    public DeviceMapping {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(model, "model");
        matchAll = List.copyOf(matchAll);
        matchAny = List.copyOf(matchAny);
        rules = List.copyOf(rules);
        commands = List.copyOf(commands);
    }

    /** Whether a payload (of kind {@code messageType}) identifies a device of this mapping. */
    public boolean matches(JsonObject payload, String messageType) {
        if (message != null && !message.equals(messageType)) {
            return false;
        }
        for (List<String> p : matchAll) {
            if (Sources.resolve(payload, p) == null) {
                return false;
            }
        }
        if (matchAny.isEmpty()) {
            return !matchAll.isEmpty();
        }
        for (List<String> p : matchAny) {
            JsonValue v = Sources.resolve(payload, p);
            if (v != null) {
                return true;
            }
        }
        return false;
    }
}
