package io.rosetta.binding.virtual.internal;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.PropertyModel;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Makes plausible values for model properties: numbers walk randomly inside the model's range
 * (reflected at its bounds, about 1 % of the range per step), integers stay whole, booleans and
 * enumerations change now and then, strings without an enumeration stay constant. Every value has
 * the JSON type the model declares, so that the registry's validation accepts it. Objects and
 * arrays are not simulated ({@code null}).
 */
final class ValueGenerator {

    /** Ranges wider than this walk as if they were this wide (an energy counter up to 10^9 kWh). */
    static final double MAX_WALK_SPAN = 1000;
    static final double DEFAULT_SPAN = 100;
    static final double STEP_FRACTION = 0.01;
    static final double CHANGE_PROBABILITY = 0.05;

    private final RandomGenerator random;

    ValueGenerator(RandomGenerator random) {
        this.random = random;
    }

    /** A first value for the property, or {@code null} when its type is not simulated. */
    JsonValue initial(PropertyModel p) {
        List<JsonValue> choices = p.enumeration();
        if (!choices.isEmpty()) {
            return choices.get(random.nextInt(choices.size()));
        }
        return switch (type(p)) {
            case "boolean" -> JsonBoolean.of(random.nextBoolean());
            case "string" -> JsonString.of(p.name().toLowerCase(Locale.ROOT).contains("version") ? "1.0.0" : "Rosetta virtual device");
            case "integer", "number" -> {
                Range r = Range.of(p);
                double walkSpan = Math.min(r.span(), MAX_WALK_SPAN);
                yield number(p, r, r.lower() + walkSpan * (0.3 + 0.2 * random.nextDouble()));
            }
            default -> null;
        };
    }

    /**
     * The next value of a read-only (measured) property after {@code current}; writable properties
     * keep their value: they change when the twin's desired state asks for it.
     */
    JsonValue next(PropertyModel p, JsonValue current) {
        if (current == null) {
            return initial(p);
        }
        if (!p.readOnly()) {
            return current;
        }
        List<JsonValue> choices = p.enumeration();
        if (!choices.isEmpty()) {
            return random.nextDouble() < CHANGE_PROBABILITY ? choices.get(random.nextInt(choices.size())) : current;
        }
        return switch (type(p)) {
            case "boolean" -> random.nextDouble() < CHANGE_PROBABILITY ? JsonBoolean.of(!((JsonBoolean) current).value()) : current;
            case "integer", "number" -> {
                if (!(current instanceof JsonNumber n)) {
                    yield initial(p);
                }
                Range r = Range.of(p);
                double step = Math.min(r.span(), MAX_WALK_SPAN) * STEP_FRACTION * random.nextGaussian();
                yield number(p, r, r.reflect(n.doubleValue() + step));
            }
            default -> current;
        };
    }

    /** Whether {@code value} is one the model allows for {@code p} (type, range, enumeration). */
    static boolean accepts(PropertyModel p, JsonValue value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!p.enumeration().isEmpty()) {
            return p.enumeration().contains(value);
        }
        return switch (type(p)) {
            case "boolean" -> value.isBoolean();
            case "string" -> value.isString();
            case "integer", "number" -> {
                if (!(value instanceof JsonNumber n) || ("integer".equals(type(p)) && !n.isIntegral())) {
                    yield false;
                }
                double d = n.doubleValue();
                yield (p.minimum() == null || d >= p.minimum()) && (p.maximum() == null || d <= p.maximum());
            }
            default -> false;
        };
    }

    private static String type(PropertyModel p) {
        return p.type() == null ? "" : p.type();
    }

    private static JsonValue number(PropertyModel p, Range r, double value) {
        double clamped = Math.max(r.lower(), Math.min(r.upper(), value));
        if ("integer".equals(p.type())) {
            long v = Math.round(clamped);
            // rounding may leave a fractional bound: stay inside it
            if (p.minimum() != null && v < p.minimum()) {
                v = (long) Math.ceil(p.minimum());
            }
            if (p.maximum() != null && v > p.maximum()) {
                v = (long) Math.floor(p.maximum());
            }
            return JsonNumber.of(v);
        }
        return JsonNumber.of(Math.round(clamped * 100) / 100.0);
    }

    /** The range a number walks in: the model's, or a default span next to the bound it has. */
    record Range(double lower, double upper) {
        static Range of(PropertyModel p) {
            double lower = p.minimum() != null ? p.minimum() : p.maximum() != null ? p.maximum() - DEFAULT_SPAN : 0;
            double upper = p.maximum() != null ? p.maximum() : lower + DEFAULT_SPAN;
            return new Range(lower, Math.max(lower, upper));
        }

        double span() {
            return upper - lower;
        }

        /** Folds a value that stepped outside back in, as a walker bouncing off a wall. */
        double reflect(double v) {
            if (span() == 0) {
                return lower;
            }
            double x = v;
            for (int i = 0; i < 4 && (x < lower || x > upper); i++) {
                x = x < lower ? 2 * lower - x : 2 * upper - x;
            }
            return Math.max(lower, Math.min(upper, x));
        }
    }
}
