package io.rosetta.binding.virtual.internal.config;

import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fleet of simulated devices, read from a factory configuration
 * ({@code etc/io.rosetta.binding.virtual-<name>.cfg}):
 * <pre>
 * namespace  = demo                                  # thing id namespace
 * namePrefix = sensor                                # things demo:sensor-01 ... demo:sensor-20
 * count      = 20                                    # devices, 0..100000
 * model      = rosetta:temperature-humidity-sensor:1.0.0, rosetta:smart-plug:1.0.0
 *                                                    # one model, or several taken in turn
 * interval   = 5s                                    # between two reports: 500ms, 5s, 1m, or milliseconds
 * </pre>
 * Wrong values are refused with a message that names the key and what is expected.
 */
public record VirtualFleetConfig(String name, String namespace, String namePrefix, int count, List<String> models,
                                 Duration interval) {

    public static final int MAX_COUNT = 100_000;
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    public VirtualFleetConfig {
        models = List.copyOf(models);
    }

    /** Reads a configuration; throws {@link IllegalArgumentException} naming the wrong key. */
    public static VirtualFleetConfig from(Map<String, ?> properties) {
        String name = text(properties, "name", null);
        if (name == null) {
            name = fleetName(text(properties, "felix.fileinstall.filename", null));
        }
        String namespace = text(properties, "namespace", "virtual");
        String prefix = text(properties, "namePrefix", "device");
        int count = integer(properties, "count", 10);
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be between 0 and " + MAX_COUNT + " but was " + count);
        }
        String modelText = text(properties, "model", null);
        if (modelText == null) {
            throw new IllegalArgumentException("model is required: the id of a semantic model, e.g. rosetta:smart-plug:1.0.0");
        }
        List<String> models = new ArrayList<>();
        for (String m : modelText.split(",")) {
            if (!m.isBlank()) {
                models.add(m.trim());
            }
        }
        if (models.isEmpty()) {
            throw new IllegalArgumentException("model is required: the id of a semantic model, e.g. rosetta:smart-plug:1.0.0");
        }
        Duration interval = duration(properties, "interval", Duration.ofSeconds(5));
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("interval must be at least " + MIN_INTERVAL.toMillis() + " ms but was " + interval.toMillis() + " ms");
        }
        VirtualFleetConfig c = new VirtualFleetConfig(name == null ? namespace + "/" + prefix : name, namespace, prefix, count, models, interval);
        if (count > 0) {
            c.thingId(count - 1); // validates namespace and prefix
        }
        return c;
    }

    /** The id of device {@code index} (0-based): {@code namespace:prefix-NN}, numbered from 1 with at least two digits. */
    public ThingId thingId(int index) {
        int digits = Math.max(2, String.valueOf(count).length());
        String name = namePrefix + "-" + String.format(Locale.ROOT, "%0" + digits + "d", index + 1);
        try {
            return ThingId.of(namespace, name);
        } catch (InvalidIdException e) {
            throw new IllegalArgumentException("namespace '" + namespace + "' and namePrefix '" + namePrefix
                    + "' do not make valid thing ids: " + e.getMessage(), e);
        }
    }

    /** The model of device {@code index}: the configured models taken in turn. */
    public String model(int index) {
        return models.get(index % models.size());
    }

    private static String fleetName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        int dash = base.indexOf('-');
        int dot = base.lastIndexOf('.');
        return dash >= 0 && dot > dash ? base.substring(dash + 1, dot) : base;
    }

    private static String text(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        if (v == null) {
            return fallback;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() ? fallback : s;
    }

    private static int integer(Map<String, ?> p, String key, int fallback) {
        Object v = p.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        String s = text(p, key, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number but was '" + s + "'");
        }
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
}
