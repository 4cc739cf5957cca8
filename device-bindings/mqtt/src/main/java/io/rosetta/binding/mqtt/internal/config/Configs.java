package io.rosetta.binding.mqtt.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading typed values from Config Admin properties, with messages that name the key. */
final class Configs {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Configs() {
    }

    static String text(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        if (v == null) {
            return fallback;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? fallback : s;
    }

    static String required(Map<String, ?> p, String key, String what) {
        String s = text(p, key, null);
        if (s == null) {
            throw new IllegalArgumentException(key + " is required: " + what);
        }
        return s;
    }

    static int integer(Map<String, ?> p, String key, int fallback, int min, int max) {
        Object v = p.get(key);
        int n;
        if (v instanceof Number num) {
            n = num.intValue();
        } else {
            String s = text(p, key, null);
            if (s == null) {
                return fallback;
            }
            try {
                n = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number but was '" + s + "'");
            }
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + " but was " + n);
        }
        return n;
    }

    static boolean bool(Map<String, ?> p, String key, boolean fallback) {
        Object v = p.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = text(p, key, null);
        if (s == null) {
            return fallback;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false but was '" + s + "'");
        };
    }

    /** {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}, or a plain number of milliseconds. */
    static Duration duration(Map<String, ?> p, String key, Duration fallback) {
        Object v = p.get(key);
        if (v instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        String s = text(p, key, null);
        if (s == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " must be a duration such as 500ms, 5s, 1m or a number of milliseconds but was '" + s + "'");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMillis(amount);
        };
    }

    /** A comma-separated list (or a String[] / Collection as Config Admin may hold it). */
    static List<String> list(Map<String, ?> p, String key, List<String> fallback) {
        Object v = p.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof String[] a) {
            for (String s : a) {
                add(out, s);
            }
        } else if (v instanceof Iterable<?> it) {
            for (Object o : it) {
                add(out, String.valueOf(o));
            }
        } else if (v != null) {
            add(out, String.valueOf(v));
        }
        return out.isEmpty() ? fallback : List.copyOf(out);
    }

    private static void add(List<String> out, String s) {
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
    }

    /** The {@code <name>} of {@code etc/<pid>-<name>.cfg} when the configuration came from a file. */
    static String nameFromFile(Map<String, ?> p, String fallback) {
        String file = text(p, "felix.fileinstall.filename", null);
        if (file == null) {
            String pid = text(p, "service.pid", null);
            return pid == null ? fallback : pid.substring(pid.lastIndexOf('.') + 1);
        }
        String base = file.substring(file.lastIndexOf('/') + 1);
        int dash = base.indexOf('-'); // PIDs have no '-': the name may ("my-plant")
        int dot = base.lastIndexOf('.');
        return dash >= 0 && dot > dash ? base.substring(dash + 1, dot) : base;
    }
}
