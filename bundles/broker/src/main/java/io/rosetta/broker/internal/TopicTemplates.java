package io.rosetta.broker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Topic filters with placeholders, expanded for one device: {@code {deviceId}}, {@code {username}} (its MQTT username),
 * {@code {thingNamespace}} and {@code {thingName}} (its twin). A placeholder whose value is empty or would change the
 * filter's structure (contains {@code /}, {@code +} or {@code #}) makes its filter yield nothing for that device.
 */
final class TopicTemplates {

    static final List<String> PLACEHOLDERS = List.of("deviceId", "username", "thingNamespace", "thingName");

    private final List<String> templates;

    private TopicTemplates(List<String> templates) {
        this.templates = List.copyOf(templates);
    }

    /**
     * Templates from a comma-separated list (blank: none).
     *
     * @param key where the list comes from, for the error message
     * @throws IllegalArgumentException naming the key and the template when one is malformed
     */
    static TopicTemplates parse(String key, String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                String t = part.trim();
                if (!t.isEmpty()) {
                    out.add(check(key, t));
                }
            }
        }
        return new TopicTemplates(out);
    }

    /** Templates from a list; entries that are not well-formed are left out and reported to {@code rejected}. */
    static TopicTemplates lenient(List<String> entries, List<String> rejected) {
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            String t = e == null ? "" : e.trim();
            try {
                out.add(check("mqttTopics", t));
            } catch (IllegalArgumentException ex) {
                rejected.add(t);
            }
        }
        return new TopicTemplates(out);
    }

    private static String check(String key, String template) {
        StringBuilder probe = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException(key + ": '" + template + "' has a '{' without '}'");
                }
                String name = template.substring(i + 1, end);
                if (!PLACEHOLDERS.contains(name)) {
                    throw new IllegalArgumentException(key + ": '" + template + "' names the unknown placeholder {" + name + "} (known: "
                            + String.join(", ", PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList()) + ")");
                }
                probe.append('x');
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException(key + ": '" + template + "' has a '}' without '{'");
            } else {
                probe.append(c);
                i++;
            }
        }
        if (!TopicFilters.isValidFilter(probe.toString())) {
            throw new IllegalArgumentException(key + ": '" + template + "' is not an MQTT topic filter ('#' only as the last level, '+' only as a whole level)");
        }
        return template;
    }

    boolean isEmpty() {
        return templates.isEmpty();
    }

    List<String> templates() {
        return templates;
    }

    /** The filters of one device; {@code values} maps placeholder names to the device's values. */
    List<String> expand(Map<String, String> values) {
        List<String> out = new ArrayList<>(templates.size());
        for (String t : templates) {
            String filter = expand(t, values);
            if (filter != null && !out.contains(filter)) {
                out.add(filter);
            }
        }
        return out;
    }

    private static String expand(String template, Map<String, String> values) {
        if (template.indexOf('{') < 0) {
            return template;
        }
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
        String filter = b.toString();
        return TopicFilters.isValidFilter(filter) ? filter : null;
    }

    @Override
    public String toString() {
        return String.join(", ", templates);
    }
}
