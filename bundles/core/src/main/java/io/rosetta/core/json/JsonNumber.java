package io.rosetta.core.json;

import java.math.BigDecimal;

/**
 * A JSON number: either an integral value that fits a {@code long} or a {@code double}.
 * Integral numbers compare equal to doubles of the same value ({@code 21} equals {@code 21.0}).
 */
public abstract sealed class JsonNumber implements JsonValue {

    private static final JsonNumber[] SMALL = new JsonNumber[256 + 128];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new Int(i - 128);
        }
    }

    JsonNumber() {
    }

    public static JsonNumber of(long value) {
        if (value >= -128 && value < 256) {
            return SMALL[(int) value + 128];
        }
        return new Int(value);
    }

    /** A double; non-finite values are not JSON and are refused. */
    public static JsonNumber of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        return new Dbl(value);
    }

    public static JsonNumber of(BigDecimal value) {
        try {
            return of(value.longValueExact());
        } catch (ArithmeticException notIntegral) {
            return of(value.doubleValue());
        }
    }

    public abstract double doubleValue();

    public abstract long longValue();

    /** True when the value has no fractional part (an {@code integer} in WoT terms). */
    public abstract boolean isIntegral();

    @Override
    public String typeName() {
        return isIntegral() ? "integer" : "number";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber n && Double.compare(n.doubleValue(), doubleValue()) == 0
                && (!isIntegral() || !n.isIntegral() || n.longValue() == longValue());
    }

    @Override
    public int hashCode() {
        return Double.hashCode(doubleValue());
    }

    @Override
    public String toString() {
        return Json.write(this);
    }

    static final class Int extends JsonNumber {
        private final long value;

        Int(long value) {
            this.value = value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public long longValue() {
            return value;
        }

        @Override
        public boolean isIntegral() {
            return true;
        }
    }

    static final class Dbl extends JsonNumber {
        private final double value;

        Dbl(double value) {
            this.value = value;
        }

        @Override
        public double doubleValue() {
            return value;
        }

        @Override
        public long longValue() {
            return (long) value;
        }

        @Override
        public boolean isIntegral() {
            return value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15;
        }
    }
}
