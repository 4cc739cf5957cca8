package io.rosetta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.ModelViolationException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.ValidationStats.Reason;
import io.rosetta.models.ValidationStats.Violation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelValidatorTest {

    private static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final ModelStore STORE = TestModels.shippedStore();

    private ModelValidator validator;

    @BeforeEach
    void setUp() {
        validator = new ModelValidator(TestModels.registry(STORE), true, true);
    }

    private static Thing sensor(String features) {
        Thing t = Thing.fromJson(Json.parseObject("{\"thingId\": \"test:sensor-1\", \"definition\": \"" + SENSOR + "\", \"features\": " + features + "}"), null);
        return t;
    }

    private static final String GOOD = "{"
            + "\"temperature\": {\"properties\": {\"value\": 21.5, \"minMeasuredValue\": 18, \"maxMeasuredValue\": 24.25}},"
            + "\"humidity\": {\"properties\": {\"value\": 45}},"
            + "\"device\": {\"properties\": {\"manufacturer\": \"ACME\", \"firmwareVersion\": \"1.2.3\", \"batteryLevel\": 87, \"signalStrength\": -67}}}";

    private String violation(String features) {
        ModelViolationException e = catchThrowableOfType(ModelViolationException.class, () -> validator.validate(sensor(features), null));
        assertThat(e).as("a violation for " + features).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.violations()).hasSize(1);
        return e.violations().get(0);
    }

    @Test
    void goodValuesAreAccepted() {
        assertThatCode(() -> validator.validate(sensor(GOOD), null)).doesNotThrowAnyException();
        assertThat(validator.validated()).isEqualTo(1);
        assertThat(validator.rejected()).isZero();
    }

    @Test
    void aValueAboveTheMaximumIsRefusedWithItsUnit() {
        assertThat(violation("{\"temperature\": {\"properties\": {\"value\": 150}}}"))
                .isEqualTo("features/temperature/properties/value: 150 is above the maximum 125 Cel");
    }

    @Test
    void aValueBelowTheMinimumIsRefused() {
        assertThat(violation("{\"humidity\": {\"properties\": {\"value\": -0.5}}}"))
                .isEqualTo("features/humidity/properties/value: -0.5 is below the minimum 0 %");
    }

    @Test
    void aWrongTypeIsRefused() {
        assertThat(violation("{\"temperature\": {\"properties\": {\"value\": \"hot\"}}}"))
                .isEqualTo("features/temperature/properties/value: \"hot\" is not a number");
        assertThat(violation("{\"device\": {\"properties\": {\"manufacturer\": 42}}}"))
                .isEqualTo("features/device/properties/manufacturer: 42 is not a string");
        assertThat(violation("{\"temperature\": {\"properties\": {\"value\": null}}}"))
                .isEqualTo("features/temperature/properties/value: null is not a number");
    }

    @Test
    void aFractionWhereAnIntegerBelongsIsRefused() {
        assertThat(violation("{\"device\": {\"properties\": {\"batteryLevel\": 50.5}}}"))
                .isEqualTo("features/device/properties/batteryLevel: 50.5 is not an integer");
        assertThatCode(() -> validator.validate(sensor("{\"device\": {\"properties\": {\"batteryLevel\": 50.0}}}"), null))
                .doesNotThrowAnyException();
    }

    @Test
    void aValueOutsideTheEnumerationIsRefused() {
        Thing plug = Thing.fromJson(Json.parseObject("{\"thingId\": \"test:plug\", \"definition\": \"rosetta:smart-plug:1.0.0\","
                + " \"features\": {\"switch\": {\"properties\": {\"on\": true, \"powerOnState\": \"sometimes\"}}}}"), null);

        assertThatThrownBy(() -> validator.validate(plug, null))
                .isInstanceOf(ModelViolationException.class)
                .hasMessageContaining("features/switch/properties/powerOnState: \"sometimes\" is not one of \"on\", \"off\", \"previous\"");
    }

    @Test
    void anUndeclaredPropertyOfADeclaredFeatureIsRefusedByDefault() {
        assertThat(violation("{\"temperature\": {\"properties\": {\"value\": 20, \"colour\": \"red\"}}}"))
                .isEqualTo("features/temperature/properties/colour: the feature model rosetta:temperature:1.0.0 declares no property 'colour'");

        ModelValidator lenient = new ModelValidator(TestModels.registry(STORE), false, true);
        assertThatCode(() -> lenient.validate(sensor("{\"temperature\": {\"properties\": {\"value\": 20, \"colour\": \"red\"}}}"), null))
                .doesNotThrowAnyException();
    }

    @Test
    void featuresTheModelDoesNotDeclareAreAccepted() {
        assertThatCode(() -> validator.validate(sensor("{\"extra\": {\"properties\": {\"anything\": [1, 2]}}}"), null))
                .doesNotThrowAnyException();
    }

    @Test
    void desiredValuesAreCheckedAndReadOnlyPropertiesCannotBeDesired() {
        Thing plug = Thing.fromJson(Json.parseObject("{\"thingId\": \"test:plug\", \"definition\": \"rosetta:smart-plug:1.0.0\","
                + " \"features\": {\"switch\": {\"desiredProperties\": {\"on\": true}}}}"), null);
        assertThatCode(() -> validator.validate(plug, null)).doesNotThrowAnyException();

        assertThat(violation("{\"temperature\": {\"desiredProperties\": {\"value\": 20}}}"))
                .isEqualTo("features/temperature/desiredProperties/value: the property is read-only and cannot be desired");
        Thing badDesired = Thing.fromJson(Json.parseObject("{\"thingId\": \"test:plug\", \"definition\": \"rosetta:smart-plug:1.0.0\","
                + " \"features\": {\"switch\": {\"desiredProperties\": {\"on\": \"yes\"}}}}"), null);
        assertThatThrownBy(() -> validator.validate(badDesired, null))
                .hasMessageContaining("features/switch/desiredProperties/on: \"yes\" is not a boolean");
    }

    @Test
    void allViolationsOfAChangeAreReportedTogether() {
        ModelViolationException e = catchThrowableOfType(ModelViolationException.class, () -> validator.validate(sensor(
                "{\"temperature\": {\"properties\": {\"value\": 150}}, \"humidity\": {\"properties\": {\"value\": \"wet\"}}}"), null));

        assertThat(e.violations()).containsExactlyInAnyOrder(
                "features/temperature/properties/value: 150 is above the maximum 125 Cel",
                "features/humidity/properties/value: \"wet\" is not a number");
        assertThat(e.getMessage()).startsWith("The change breaks the model '" + SENSOR + "': ");
    }

    @Test
    void anUnknownModelIsAcceptedAndCounted() {
        Thing t = Thing.fromJson(Json.parseObject("{\"thingId\": \"test:x\", \"definition\": \"acme:unknown:9.9.9\","
                + " \"features\": {\"temperature\": {\"properties\": {\"value\": 1000}}}}"), null);

        assertThatCode(() -> validator.validate(t, null)).doesNotThrowAnyException();
        assertThat(validator.unknownModel()).isEqualTo(1);
        assertThat(validator.validated()).isZero();
    }

    @Test
    void violationsAreCountedByModelAndReason() {
        for (String bad : new String[] {"{\"temperature\": {\"properties\": {\"value\": 150}}}", "{\"temperature\": {\"properties\": {\"value\": 130}}}",
                "{\"humidity\": {\"properties\": {\"value\": -3}}}", "{\"humidity\": {\"properties\": {\"value\": true}}}"}) {
            assertThatThrownBy(() -> validator.validate(sensor(bad), null)).isInstanceOf(ModelViolationException.class);
        }

        assertThat(validator.rejected()).isEqualTo(4);
        assertThat(validator.violations()).containsEntry(new Violation(SENSOR, Reason.MAXIMUM), 2L)
                .containsEntry(new Violation(SENSOR, Reason.MINIMUM), 1L)
                .containsEntry(new Violation(SENSOR, Reason.TYPE), 1L)
                .hasSize(3);
    }

    @Test
    void onlyChangedValuesAreLookedAt() {
        Thing previous = sensor(GOOD);
        Feature temperature = previous.feature("temperature").orElseThrow();
        JsonObject changed = temperature.properties().set("value", Json.parse("22.0"));
        Thing candidate = previous.withFeature(temperature.withProperties(changed));

        assertThatCode(() -> validator.validate(candidate, previous)).doesNotThrowAnyException();

        Thing broken = previous.withFeature(temperature.withProperties(temperature.properties().set("value", Json.parse("300"))));
        assertThatThrownBy(() -> validator.validate(broken, previous))
                .hasMessageContaining("features/temperature/properties/value: 300 is above the maximum 125 Cel");
    }

    @Test
    void aThingWithoutDefinitionOrFeaturesIsNotChecked() {
        Thing plain = Thing.newBuilder(ThingId.of("test:plain")).build();
        assertThatCode(() -> validator.validate(plain, null)).doesNotThrowAnyException();
        assertThat(validator.validated()).isZero();
    }
}
