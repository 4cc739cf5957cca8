package io.rosetta.dynsec.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.devices.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which topics a device's Mosquitto role allows, by the same rule as the embedded broker's (docs/MQTT.md): the topic
 * filters of the device's own configuration key {@code mqttTopics} (a JSON array of strings, or one comma-separated
 * string) when it has that key, else {@code device.topics.<binding>} for a device of that binding, else
 * {@code device.topics}. Filters may name {@code {deviceId}}, {@code {username}}, {@code {thingNamespace}} and
 * {@code {thingName}}; a value that is empty or contains {@code /}, {@code +} or {@code #} makes its filter yield nothing.
 */
final class DeviceTopics {

    static final String KEY = "device.topics";
    static final String DEVICE_KEY = "mqttTopics";
    static final String DEFAULT = "devices/{deviceId}/#, tele/{deviceId}/#, stat/{deviceId}/#, cmnd/{deviceId}/#, homie/{deviceId}/#, "
            + "homeassistant/+/{deviceId}/#, spBv1.0/+/+/{deviceId}/#";
    static final List<String> PLACEHOLDERS = List.of("deviceId", "username", "thingNamespace", "thingName");

    private final List<String> defaults;
    private final Map<String, List<String>> byBinding;

    private DeviceTopics(List<String> defaults, Map<String, List<String>> byBinding) {
        this.defaults = List.copyOf(defaults);
        this.byBinding = Map.copyOf(byBinding);
    }

    /**
     * The rules of {@code device.topics} (absent: {@link #DEFAULT}) and every {@code device.topics.<binding>}.
     *
     * @throws IllegalArgumentException naming the key of a malformed filter
     */
    static DeviceTopics from(Map<String, ?> properties) {
        Object d = properties == null ? null : properties.get(KEY);
        List<String> defaults = parse(KEY, d == null ? DEFAULT : String.valueOf(d));
        Map<String, List<String>> byBinding = new HashMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (k.startsWith(KEY + ".") && k.length() > KEY.length() + 1) {
                    byBinding.put(k.substring(KEY.length() + 1), parse(k, String.valueOf(v)));
                }
            });
        }
        return new DeviceTopics(defaults, byBinding);
    }

    /** The topic filters of a device, in order, without duplicates; the malformed entries of its own list are left out. */
    List<String> of(Device d) {
        List<String> templates;
        List<String> own = own(d.configuration().getOrNull(DEVICE_KEY));
        if (own != null) {
            templates = new ArrayList<>();
            for (String t : own) {
                if (check(DEVICE_KEY, t.trim()) == null) {
                    templates.add(t.trim());
                }
            }
        } else {
            templates = d.binding() != null && byBinding.containsKey(d.binding()) ? byBinding.get(d.binding()) : defaults;
        }
        Map<String, String> values = Map.of("deviceId", d.deviceId(),
                "username", d.credentials().mqttUsername() == null ? "" : d.credentials().mqttUsername(),
                "thingNamespace", d.thingId().namespace(), "thingName", d.thingId().name());
        List<String> out = new ArrayList<>();
        for (String t : templates) {
            String f = expand(t, values);
            if (f != null && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<String> own(JsonValue v) {
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s) {
            return Arrays.stream(s.value().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray a) {
            for (JsonValue e : a) {
                out.add(e instanceof JsonString s ? s.value() : String.valueOf(e));
            }
        } else {
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static List<String> parse(String key, String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                String problem = check(key, t);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                out.add(t);
            }
        }
        return out;
    }

    /** What is wrong with a template, or {@code null}. */
    private static String check(String key, String template) {
        StringBuilder probe = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    return key + ": '" + template + "' has a '{' without '}'";
                }
                String name = template.substring(i + 1, end);
                if (!PLACEHOLDERS.contains(name)) {
                    return key + ": '" + template + "' names the unknown placeholder {" + name + "}";
                }
                probe.append('x');
                i = end + 1;
            } else if (c == '}') {
                return key + ": '" + template + "' has a '}' without '{'";
            } else {
                probe.append(c);
                i++;
            }
        }
        return isValidFilter(probe.toString()) ? null
                : key + ": '" + template + "' is not an MQTT topic filter ('#' only as the last level, '+' only as a whole level)";
    }

    private static String expand(String template, Map<String, String> values) {
        StringBuilder b = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                String v = values.get(template.substring(i + 1, end));
                if (v == null || v.isEmpty() || v.indexOf('/') >= 0 || v.indexOf('+') >= 0 || v.indexOf('#') >= 0 || v.indexOf('\0') >= 0) {
                    return null;
                }
                b.append(v);
                i = end + 1;
            } else {
                b.append(c);
                i++;
            }
        }
        String f = b.toString();
        return isValidFilter(f) ? f : null;
    }

    static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\0') >= 0) {
            return false;
        }
        int n = filter.length();
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            boolean wholeLevel = (i == 0 || filter.charAt(i - 1) == '/') && (i == n - 1 || filter.charAt(i + 1) == '/');
            if (c == '#' && (i != n - 1 || !wholeLevel) || c == '+' && !wholeLevel) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(KEY + " = " + String.join(", ", defaults));
        new TreeMap<>(byBinding).forEach((b, t) -> parts.add(KEY + "." + b + " = " + String.join(", ", t)));
        return String.join("; ", parts);
    }
}
