package io.rosetta.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PropertyValuesRoundingTest {

    private static double reference(double d) {
        return new BigDecimal(d).round(new MathContext(12)).doubleValue();
    }

    @Test
    void convertedValuesKeepTwelveSignificantDigitsExactlyAsBigDecimalRoundsThem() {
        assertThat(PropertyValues.significant(21.499999999999996)).isEqualTo(21.5);
        assertThat(PropertyValues.significant(-17.77777777777778)).isEqualTo(-17.7777777778);
        assertThat(PropertyValues.significant(0.30000000000000004)).isEqualTo(0.3);
        assertThat(PropertyValues.significant(3.6e6)).isEqualTo(3.6e6);
        assertThat(PropertyValues.significant(123456789012345.6)).isEqualTo(123456789012000.0);
        assertThat(PropertyValues.significant(0.0)).isEqualTo(0.0);
        assertThat(PropertyValues.significant(1e-20)).isEqualTo(reference(1e-20));
        assertThat(PropertyValues.significant(9.99999999999951e22)).isEqualTo(reference(9.99999999999951e22));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            // magnitudes from 1e-12 to 1e17 around the fast path's bounds, both signs, and values at powers of ten
            double d = (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-12, 17));
            assertThat(PropertyValues.significant(d)).as("%s", d).isEqualTo(reference(d));
            double power = Math.pow(10, random.nextInt(-9, 15));
            assertThat(PropertyValues.significant(power)).as("%s", power).isEqualTo(reference(power));
            assertThat(PropertyValues.significant(Math.nextDown(power))).isEqualTo(reference(Math.nextDown(power)));
        }
    }

    @Test
    void halvesAtTheThirteenthDigitRoundUpAsBigDecimalDoes() {
        // 12 digits then a 5: the exact binary value decides, which only BigDecimal sees
        for (String s : new String[] {"1.234567890125", "0.1000000000005", "-2.500000000005", "98765.43210985"}) {
            double d = Double.parseDouble(s);
            assertThat(PropertyValues.significant(d)).as(s).isEqualTo(reference(d));
        }
    }
}
