package io.rosetta.binding.virtual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ValueGeneratorTest {

    private final ValueGenerator generator = new ValueGenerator(new SplittableRandom(42));

    private static PropertyModel number(String name, Double min, Double max) {
        return new PropertyModel(name, "number", "Cel", min, max, List.of(), true, null);
    }

    @Test
    void numbersWalkInsideTheirRangeInSmallSteps() {
        PropertyModel temperature = number("value", -40.0, 125.0);
        JsonValue v = generator.initial(temperature);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            v = generator.next(temperature, v);
            assertThat(v).isInstanceOf(JsonNumber.class);
            values.add(((JsonNumber) v).doubleValue());
        }
        assertThat(values).allSatisfy(d -> assertThat(d).isBetween(-40.0, 125.0));
        for (int i = 1; i < values.size(); i++) {
            // a step is 1 % of the span times a Gaussian: never a jump across the range
            assertThat(Math.abs(values.get(i) - values.get(i - 1))).isLessThan(165 * 0.01 * 6);
        }
        assertThat(new HashSet<>(values)).as("it moves").hasSizeGreaterThan(1000);
        assertThat(values).anySatisfy(d -> assertThat(d).isLessThan(20.0)).anySatisfy(d -> assertThat(d).isGreaterThan(60.0));
    }

    @Test
    void numbersHaveAtMostTwoDecimals() {
        PropertyModel p = number("value", 0.0, 1.0);
        JsonValue v = generator.initial(p);
        for (int i = 0; i < 100; i++) {
            v = generator.next(p, v);
            double d = ((JsonNumber) v).doubleValue();
            assertThat(Math.abs(d * 100 - Math.round(d * 100))).isLessThan(1e-6);
        }
    }

    @Test
    void integersStayWholeAndInRange() {
        PropertyModel rssi = new PropertyModel("signalStrength", "integer", "dB[mW]", -150.0, 0.0, List.of(), true, null);
        JsonValue v = generator.initial(rssi);
        for (int i = 0; i < 2000; i++) {
            v = generator.next(rssi, v);
            assertThat(v).isInstanceOfSatisfying(JsonNumber.class, n -> {
                assertThat(n.isIntegral()).isTrue();
                assertThat(n.typeName()).isEqualTo("integer");
                assertThat(n.longValue()).isBetween(-150L, 0L);
            });
        }
    }

    @Test
    void aHugeRangeWalksAtAHumanScale() {
        PropertyModel energy = new PropertyModel("energy", "number", "kW.h", 0.0, 1e9, List.of(), true, null);
        JsonValue v = generator.initial(energy);
        assertThat(((JsonNumber) v).doubleValue()).isBetween(0.0, 1000.0);
        JsonValue next = generator.next(energy, v);
        assertThat(Math.abs(((JsonNumber) next).doubleValue() - ((JsonNumber) v).doubleValue())).isLessThan(100.0);
    }

    @Test
    void aRangeWithOneBoundGetsADefaultSpan() {
        PropertyModel count = new PropertyModel("openCount", "integer", null, 0.0, null, List.of(), true, null);
        JsonValue v = generator.initial(count);
        for (int i = 0; i < 500; i++) {
            v = generator.next(count, v);
            assertThat(((JsonNumber) v).longValue()).isBetween(0L, 100L);
        }
    }

    @Test
    void booleansAndEnumerationsChangeNowAndThen() {
        PropertyModel motion = new PropertyModel("detected", "boolean", null, null, null, List.of(), true, null);
        PropertyModel level = new PropertyModel("level", "string", null, null, null,
                List.of(JsonValue.of("good"), JsonValue.of("moderate"), JsonValue.of("unhealthy")), true, null);
        JsonValue b = generator.initial(motion);
        JsonValue e = generator.initial(level);
        Set<JsonValue> booleans = new HashSet<>();
        Set<JsonValue> levels = new HashSet<>();
        int flips = 0;
        for (int i = 0; i < 1000; i++) {
            JsonValue nb = generator.next(motion, b);
            flips += nb.equals(b) ? 0 : 1;
            b = nb;
            e = generator.next(level, e);
            booleans.add(b);
            levels.add(e);
        }
        assertThat(booleans).containsExactlyInAnyOrder(JsonBoolean.TRUE, JsonBoolean.FALSE);
        assertThat(levels).isSubsetOf(level.enumeration()).hasSizeGreaterThan(1);
        assertThat(flips).as("about 5 %% of the steps").isBetween(20, 100);
    }

    @Test
    void writablePropertiesKeepTheirValue() {
        PropertyModel on = new PropertyModel("on", "boolean", null, null, null, List.of(), false, null);
        JsonValue v = generator.initial(on);
        for (int i = 0; i < 200; i++) {
            assertThat(generator.next(on, v)).isSameAs(v);
        }
    }

    @Test
    void stringsWithoutEnumerationAreConstantAndObjectsAreNotSimulated() {
        PropertyModel fw = new PropertyModel("firmwareVersion", "string", null, null, null, List.of(), true, null);
        assertThat(generator.initial(fw)).isEqualTo(JsonString.of("1.0.0"));
        assertThat(generator.next(fw, generator.initial(fw))).isEqualTo(JsonString.of("1.0.0"));
        assertThat(generator.initial(new PropertyModel("config", "object", null, null, null, List.of(), true, null))).isNull();
    }

    @Test
    void acceptsOnlyValuesTheModelAllows() {
        PropertyModel timeout = new PropertyModel("occupancyTimeout", "integer", "s", 0.0, 3600.0, List.of(), false, null);
        assertThat(ValueGenerator.accepts(timeout, JsonValue.of(60))).isTrue();
        assertThat(ValueGenerator.accepts(timeout, JsonValue.of(60.5))).isFalse();
        assertThat(ValueGenerator.accepts(timeout, JsonValue.of(7200))).isFalse();
        assertThat(ValueGenerator.accepts(timeout, JsonValue.of("60"))).isFalse();
        assertThat(ValueGenerator.accepts(timeout, JsonValue.nullValue())).isFalse();
        PropertyModel state = new PropertyModel("powerOnState", "string", null, null, null,
                List.of(JsonValue.of("on"), JsonValue.of("off")), false, null);
        assertThat(ValueGenerator.accepts(state, JsonValue.of("off"))).isTrue();
        assertThat(ValueGenerator.accepts(state, JsonValue.of("maybe"))).isFalse();
    }

    static final List<String> DEVICE_MODELS = ShippedModels.DEVICE_MODELS;

    /** Every value generated for every shipped device model has its type and lies in its range. */
    @ParameterizedTest
    @FieldSource("DEVICE_MODELS")
    void everyShippedModelGetsValidValues(String modelId) {
        ThingModel model = ShippedModels.model(modelId);
        assertThat(model.features()).isNotEmpty();
        DeviceSimulation sim = new DeviceSimulation(model, new ValueGenerator(new SplittableRandom(7)));
        int checked = 0;
        for (int round = 0; round < 300; round++) {
            for (String feature : sim.features()) {
                FeatureModel f = model.features().get(feature);
                var values = sim.step(feature);
                for (int i = 0; i < values.size(); i++) {
                    PropertyModel p = f.properties().get(values.keyAt(i));
                    assertThat(ValueGenerator.accepts(p, values.valueAt(i)))
                            .as("%s %s/%s = %s", modelId, feature, p.name(), values.valueAt(i)).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(300);
    }
}
