package io.rosetta.benchmarks.simulator;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON the way device firmware does: members in the order given, numbers with a fixed number
 * of decimals ({@code 21.50} when the firmware prints two), no spaces. Small and allocation-light,
 * because the simulator writes tens of thousands of payloads a second.
 */
final class JsonText {

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private final StringBuilder b = new StringBuilder(256);
    private final boolean[] comma = new boolean[16];
    private int depth;

    private JsonText() {
    }

    static JsonText object() {
        JsonText t = new JsonText();
        t.b.append('{');
        return t;
    }

    /** {@code value} rounded to {@code decimals} places, as the firmware would print it. */
    static double round(double value, int decimals) {
        return Math.round(value * POW10[decimals]) / (double) POW10[decimals];
    }

    /** Appends {@code value} with exactly {@code decimals} decimals. */
    static StringBuilder appendFixed(StringBuilder out, double value, int decimals) {
        long scaled = Math.round(value * POW10[decimals]);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / POW10[decimals]);
        if (decimals > 0) {
            out.append('.');
            String frac = Long.toString(scaled % POW10[decimals]);
            for (int i = frac.length(); i < decimals; i++) {
                out.append('0');
            }
            out.append(frac);
        }
        return out;
    }

    static String fixed(double value, int decimals) {
        return appendFixed(new StringBuilder(12), value, decimals).toString();
    }

    private JsonText key(String key) {
        if (comma[depth]) {
            b.append(',');
        }
        comma[depth] = true;
        b.append('"').append(key).append("\":");
        return this;
    }

    JsonText num(String key, long value) {
        key(key).b.append(value);
        return this;
    }

    JsonText num(String key, double value, int decimals) {
        appendFixed(key(key).b, value, decimals);
        return this;
    }

    JsonText bool(String key, boolean value) {
        key(key).b.append(value);
        return this;
    }

    JsonText str(String key, String value) {
        key(key);
        quote(b, value);
        return this;
    }

    JsonText nul(String key) {
        key(key).b.append("null");
        return this;
    }

    /** A value written as it is (an array, a pre-built object). */
    JsonText raw(String key, String json) {
        key(key).b.append(json);
        return this;
    }

    JsonText begin(String key) {
        key(key).b.append('{');
        comma[++depth] = false;
        return this;
    }

    JsonText end() {
        b.append('}');
        depth--;
        return this;
    }

    String text() {
        if (depth != 0) {
            throw new IllegalStateException("unbalanced JSON object");
        }
        return b + "}";
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        quote(out, s);
        return out.toString();
    }
}
