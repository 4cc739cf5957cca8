package io.rosetta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rosetta.models.UnitConversionException;
import org.junit.jupiter.api.Test;
import tech.units.indriya.function.AddConverter;
import tech.units.indriya.function.ExpConverter;
import tech.units.indriya.function.MultiplyConverter;

class UcumUnitsTest {

    private final UcumUnits units = new UcumUnits();

    @Test
    void fahrenheitToCelsius() {
        assertThat(units.convert(212, "[degF]", "Cel")).isCloseTo(100.0, within(1e-9));
        assertThat(units.convert(32, "[degF]", "Cel")).isCloseTo(0.0, within(1e-9));
        assertThat(units.convert(-40, "[degF]", "Cel")).isCloseTo(-40.0, within(1e-9));
        assertThat(units.convert(21.5, "Cel", "K")).isCloseTo(294.65, within(1e-9));
    }

    @Test
    void wattHoursToKilowattHours() {
        assertThat(units.convert(1500, "W.h", "kW.h")).isCloseTo(1.5, within(1e-12));
        assertThat(units.convert(2.5, "kW.h", "W.h")).isCloseTo(2500, within(1e-9));
        assertThat(units.convert(1, "kW.h", "J")).isCloseTo(3.6e6, within(1e-6));
        // vendor spellings are aliases of the UCUM codes
        assertThat(units.convert(1500, "Wh", "kWh")).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void kilometresPerHourToMetresPerSecond() {
        assertThat(units.convert(36, "km/h", "m/s")).isCloseTo(10.0, within(1e-12));
        assertThat(units.convert(10, "m/s", "km/h")).isCloseTo(36.0, within(1e-12));
    }

    @Test
    void percentAndPartsPerMillion() {
        assertThat(units.convert(50, "%", "1")).isCloseTo(0.5, within(1e-12));
        assertThat(units.convert(0.25, "1", "%")).isCloseTo(25, within(1e-12));
        assertThat(units.convert(1, "[ppm]", "[ppb]")).isCloseTo(1000, within(1e-9));
        assertThat(units.convert(1, "ppm", "%")).isCloseTo(1e-4, within(1e-15));
        assertThat(units.convert(90, "deg", "rad")).isCloseTo(Math.PI / 2, within(1e-12));
    }

    @Test
    void incommensurableUnitsAreRefusedWithTheirDimensions() {
        assertThatThrownBy(() -> units.convert(1, "Cel", "m"))
                .isInstanceOf(UnitConversionException.class)
                .hasMessageStartingWith("Cannot convert 'Cel' to 'm': the units measure different quantities");
    }

    @Test
    void unknownUnitsAreRefused() {
        assertThatThrownBy(() -> units.convert(1, "furlongs", "m"))
                .isInstanceOf(UnitConversionException.class).hasMessageContaining("Unknown unit 'furlongs'");
        assertThatThrownBy(() -> units.convert(1, "§", "m"))
                .isInstanceOf(UnitConversionException.class).hasMessageContaining("Unknown unit '§'");
        assertThatThrownBy(() -> units.convert(1, "", "m")).isInstanceOf(UnitConversionException.class);
        assertThat(units.isKnown("dB[mW]")).isFalse();
    }

    @Test
    void convertersAreCached() {
        assertThat(units.conversion("km/h", "m/s")).isSameAs(units.conversion("km/h", "m/s"));
        assertThat(units.unit("Cel")).isSameAs(units.unit("Cel"));
    }

    @Test
    void affineConversionsRunInDoublesAndAgreeWithTheLibrary() {
        String[][] pairs = {
            {"[degF]", "Cel"}, {"Cel", "[degF]"}, {"Cel", "K"}, {"K", "[degF]"}, {"W.h", "kW.h"}, {"kW.h", "J"},
            {"km/h", "m/s"}, {"%", "1"}, {"[ppm]", "%"}, {"deg", "rad"}, {"hPa", "[psi]"}, {"[in_i]", "mm"}, {"mbar", "kPa"},
        };
        double[] values = {-273.15, -40, -0.5, 0, 0.001, 1, 21.7, 98.6, 1013.25, 65_535, 3.6e6};
        for (String[] pair : pairs) {
            Conversion c = units.conversion(pair[0], pair[1]);
            assertThat(c.affine()).as("%s → %s", pair[0], pair[1]).isTrue();
            for (double v : values) {
                double expected = c.library().convert(v);
                assertThat(c.convert(v)).as("%s %s → %s", v, pair[0], pair[1])
                        .isCloseTo(expected, within(1e-13 * Math.abs(expected) + 1e-15));
            }
        }
    }

    @Test
    void convertersThatAreNotAffineAreAppliedByTheLibrary() {
        // 10^x after a change of scale: not expressible as one multiplication and one addition
        Conversion c = Conversion.of(new ExpConverter(10).concatenate(MultiplyConverter.of(0.1)));
        assertThat(c.affine()).isFalse();
        assertThat(c.convert(20)).isCloseTo(100, within(1e-9));
        assertThat(c.convert(0)).isCloseTo(1, within(1e-12));
    }

    @Test
    void theCompositionFollowsTheLibrarysOrderOfSteps() {
        // (x + 10) * 2 and x * 2 + 10 differ: the composed form must apply the steps as the library does
        Conversion addThenScale = Conversion.of(MultiplyConverter.of(2).concatenate(new AddConverter(10)));
        Conversion scaleThenAdd = Conversion.of(new AddConverter(10).concatenate(MultiplyConverter.of(2)));
        assertThat(addThenScale.affine()).isTrue();
        assertThat(scaleThenAdd.affine()).isTrue();
        assertThat(addThenScale.convert(1)).isEqualTo(addThenScale.library().convert(1.0)).isEqualTo(22);
        assertThat(scaleThenAdd.convert(1)).isEqualTo(scaleThenAdd.library().convert(1.0)).isEqualTo(12);
    }
}
