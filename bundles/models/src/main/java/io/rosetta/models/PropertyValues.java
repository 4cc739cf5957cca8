package io.rosetta.models;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Fits a value that a device sent onto a model property, as every binding must: the JSON type
 * the property declares, the unit converted into the property's unit through the units library,
 * integers kept whole, converted numbers rounded to 12 significant digits, range and enumeration
 * checked.
 */
public final class PropertyValues {

    private static final int SIGNIFICANT = 12;
    private static final MathContext CONVERTED = new MathContext(SIGNIFICANT);
    /** 10^0 … 10^22: every one an exact double. */
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private PropertyValues() {
    }

    /**
     * The value to store for {@code property}; {@code sourceUnit} is the UCUM code the device used,
     * {@code null} when it sent none (the value is then taken to be in the property's unit).
     */
    public static JsonValue coerce(ModelRegistry models, PropertyModel property, JsonValue value, String sourceUnit)
            throws PropertyValueException {
        String type = property.type() == null ? "" : property.type();
        switch (type) {
            case "number", "integer" -> {
                return number(models, property, value, sourceUnit, "integer".equals(type));
            }
            case "boolean" -> {
                if (!(value instanceof JsonBoolean)) {
                    throw new PropertyValueException(PropertyValueException.Kind.WRONG_TYPE, value + " is not a boolean");
                }
                return value;
            }
            case "string" -> {
                if (!(value instanceof JsonString)) {
                    throw new PropertyValueException(PropertyValueException.Kind.WRONG_TYPE, value + " is not a string");
                }
                if (!property.enumeration().isEmpty() && !property.enumeration().contains(value)) {
                    throw new PropertyValueException(PropertyValueException.Kind.OUT_OF_RANGE,
                            value + " is not one of " + property.enumeration());
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    private static JsonValue number(ModelRegistry models, PropertyModel p, JsonValue value, String from, boolean integer)
            throws PropertyValueException {
        if (!(value instanceof JsonNumber n)) {
            throw new PropertyValueException(PropertyValueException.Kind.WRONG_TYPE, value + " is not a number");
        }
        double d = n.doubleValue();
        boolean converted = false;
        if (from != null && p.unit() != null && !from.equals(p.unit())) {
            try {
                d = models.convert(d, from, p.unit());
                converted = true;
            } catch (UnitConversionException e) {
                throw new PropertyValueException(PropertyValueException.Kind.UNIT, e.getMessage());
            }
        }
        if (!Double.isFinite(d)) {
            throw new PropertyValueException(PropertyValueException.Kind.WRONG_TYPE, value + " is not a finite number");
        }
        if (integer) {
            if (converted) {
                d = Math.rint(d);
            } else if (d != Math.rint(d)) {
                throw new PropertyValueException(PropertyValueException.Kind.WRONG_TYPE, value + " is not an integer");
            }
        } else if (converted) {
            d = significant(d);
        }
        if (p.minimum() != null && d < p.minimum()) {
            throw new PropertyValueException(PropertyValueException.Kind.OUT_OF_RANGE,
                    format(d) + " is below the minimum " + format(p.minimum()) + unit(p));
        }
        if (p.maximum() != null && d > p.maximum()) {
            throw new PropertyValueException(PropertyValueException.Kind.OUT_OF_RANGE,
                    format(d) + " is above the maximum " + format(p.maximum()) + unit(p));
        }
        return integer ? JsonNumber.of((long) d) : converted ? JsonNumber.of(d) : n;
    }

    /**
     * A converted value as it is stored and sent: {@code d} rounded to {@value #SIGNIFICANT} significant digits (half
     * up), which removes the binary noise of a conversion ({@code 21.500000000000004}) and keeps any real precision. The same double as
     * {@code new BigDecimal(d).round(new MathContext(12)).doubleValue()}: computed with one multiplication, one
     * rounding and one division when the scaled value is an exact integer of at most 12 digits, through
     * {@code BigDecimal} when the value is outside that range or the digit after the twelfth is too close to a
     * half for the multiplication's rounding error to be sure of the direction.
     */
    public static double significant(double d) {
        double abs = Math.abs(d);
        if (abs >= 1e-9 && abs < 1e15) {
            int shift = SIGNIFICANT - 1 - (int) Math.floor(Math.log10(abs));
            double scaled = scale(abs, shift);
            if (scaled >= 1e12) { // log10 rounded up at a power of ten
                scaled = scale(abs, --shift);
            } else if (scaled < 1e11) {
                scaled = scale(abs, ++shift);
            }
            double whole = Math.floor(scaled);
            if (Math.abs(scaled - whole - 0.5) > 1e-3) {
                double rounded = scaled - whole > 0.5 ? whole + 1 : whole;
                double r = shift >= 0 ? rounded / POWERS_OF_TEN[shift] : rounded * POWERS_OF_TEN[-shift];
                return Math.copySign(r, d);
            }
        }
        return new BigDecimal(d).round(CONVERTED).doubleValue();
    }

    private static double scale(double abs, int shift) {
        return shift >= 0 ? abs * POWERS_OF_TEN[shift] : abs / POWERS_OF_TEN[-shift];
    }

    private static String unit(PropertyModel p) {
        return p.unit() == null ? "" : " " + p.unit();
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
