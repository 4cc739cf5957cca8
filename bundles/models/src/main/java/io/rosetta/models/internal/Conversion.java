package io.rosetta.models.internal;

import java.util.List;
import javax.measure.UnitConverter;
import tech.units.indriya.function.AddConverter;
import tech.units.indriya.function.MultiplyConverter;

/**
 * One cached conversion between two units: the library's converter and, when every step of it only multiplies or
 * adds (metric prefixes, rational factors, the offsets of Celsius and Fahrenheit: nearly every unit a device
 * reports), the same converter as one multiplication and one addition in doubles. The factors and offsets are the
 * library's own, composed in the order it applies them; the composition is checked against the library's result
 * for a few values before it is used, and a converter that is not affine (logarithmic units such as {@code dB[mW]})
 * or whose check fails is applied through the library every time.
 */
final class Conversion {

    /** Values at which the composed form must agree with the library (spanning signs and magnitudes). */
    private static final double[] CHECKED_AT = {0, 1, -40, 21.5, 1_000, 123_456.789, -0.001};
    /** Relative difference tolerated between the composed form and the library (converted values are kept to 12 digits). */
    private static final double TOLERANCE = 1e-13;

    private final UnitConverter library;
    private final boolean affine;
    private final double scale;
    private final double offset;

    private Conversion(UnitConverter library, boolean affine, double scale, double offset) {
        this.library = library;
        this.affine = affine;
        this.scale = scale;
        this.offset = offset;
    }

    static Conversion of(UnitConverter library) {
        double scale = 1;
        double offset = 0;
        List<? extends UnitConverter> steps = library.getConversionSteps();
        // the library applies its steps from the last to the first (steps[0] ∘ steps[1] ∘ …)
        for (int i = steps.size() - 1; i >= 0; i--) {
            UnitConverter step = steps.get(i);
            if (step.isIdentity()) {
                continue;
            }
            if (step instanceof MultiplyConverter m) {
                double f = m.getAsDouble();
                scale *= f;
                offset *= f;
            } else if (step instanceof AddConverter a) {
                offset += a.getOffset().doubleValue();
            } else {
                return new Conversion(library, false, 1, 0);
            }
        }
        for (double v : CHECKED_AT) {
            double expected = library.convert(v);
            double got = scale * v + offset;
            double magnitude = Math.abs(expected) + Math.abs(scale * v) + Math.abs(offset);
            if (!Double.isFinite(got) || Math.abs(got - expected) > TOLERANCE * magnitude) {
                return new Conversion(library, false, 1, 0);
            }
        }
        return new Conversion(library, true, scale, offset);
    }

    double convert(double value) {
        return affine ? scale * value + offset : library.convert(value);
    }

    /** Whether the conversion runs as one multiplication and one addition. */
    boolean affine() {
        return affine;
    }

    UnitConverter library() {
        return library;
    }
}
