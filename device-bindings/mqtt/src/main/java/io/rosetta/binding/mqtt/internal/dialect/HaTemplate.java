package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms of Home Assistant's Jinja value templates that devices' discovery configs use:
 * {@code {{ value }}}, {@code {{ value_json.a.b }}}, {@code {{ value_json['a'].b }}}, each optionally with the
 * filters {@code float}, {@code int}, {@code float(0)}, {@code int(0)} and {@code round(n)}. Anything else
 * (conditions, other filters) is not evaluated: {@link #parse} refuses it.
 */
final class HaTemplate {

    private static final Pattern TEMPLATE = Pattern.compile(
            "\\{\\{\\s*value(_json((?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\s*'[^']*'\\s*\\]|\\[\\s*\"[^\"]*\"\\s*\\])+))?\\s*"
            + "((?:\\|\\s*(?:float|int|round\\(\\s*\\d+\\s*\\)|float\\(\\s*0\\s*\\)|int\\(\\s*0\\s*\\))\\s*)*)\\}\\}");
    private static final Pattern PATH_PART = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*'([^']*)'\\s*\\]|\\[\\s*\"([^\"]*)\"\\s*\\]");

    private final String source;
    /** Members to descend into, {@code null} for {@code {{ value }}}. */
    private final List<String> path;
    private final List<String> filters;

    private HaTemplate(String source, List<String> path, List<String> filters) {
        this.source = source;
        this.path = path;
        this.filters = filters;
    }

    /** The template, or an {@link IllegalArgumentException} for a form that is not evaluated. */
    static HaTemplate parse(String template) {
        String t = template.trim();
        Matcher m = TEMPLATE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("template '" + template + "' is not one of the supported forms");
        }
        List<String> path = null;
        if (m.group(1) != null) {
            path = new ArrayList<>();
            Matcher p = PATH_PART.matcher(m.group(2));
            while (p.find()) {
                path.add(p.group(1) != null ? p.group(1) : p.group(2) != null ? p.group(2) : p.group(3));
            }
        }
        List<String> filters = new ArrayList<>();
        for (String f : m.group(3).split("\\|")) {
            if (!f.isBlank()) {
                filters.add(f.replaceAll("\\s", ""));
            }
        }
        return new HaTemplate(t, path == null ? null : List.copyOf(path), List.copyOf(filters));
    }

    /**
     * The rendered value: the payload as a string for {@code {{ value }}}, the JSON member for
     * {@code value_json}, {@code null} when the member is absent (a partial JSON state); filters make numbers.
     */
    JsonValue evaluate(String text, byte[] payload) throws RejectedException {
        JsonValue v;
        if (path == null) {
            v = JsonValue.of(text);
        } else {
            try {
                v = Json.parse(payload);
            } catch (RuntimeException e) {
                throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, source + " needs a JSON payload: " + e.getMessage());
            }
            for (String key : path) {
                v = v instanceof JsonObject o ? o.getOrNull(key) : null;
                if (v == null || v.isNull()) {
                    return null;
                }
            }
        }
        for (String f : filters) {
            double d;
            try {
                d = v instanceof JsonNumber n ? n.doubleValue() : Double.parseDouble(v instanceof JsonString s ? s.value().trim() : v.toString());
            } catch (NumberFormatException e) {
                throw new RejectedException(RejectReason.WRONG_TYPE, "'" + text(v) + "' is not a number for the filter " + f);
            }
            if (f.startsWith("int")) {
                v = JsonNumber.of((long) d);
            } else if (f.startsWith("round")) {
                int digits = Integer.parseInt(f.replaceAll("\\D", ""));
                v = JsonNumber.of(BigDecimal.valueOf(d).setScale(digits, RoundingMode.HALF_EVEN).doubleValue());
            } else {
                v = JsonNumber.of(d);
            }
        }
        return v;
    }

    /** A rendered value as the text Home Assistant compares with {@code payload_on}, {@code payload_available}. */
    static String text(JsonValue v) {
        return v instanceof JsonString s ? s.value() : v.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
