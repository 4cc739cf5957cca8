package io.rosetta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.json.JsonValue;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.PropertyValueException;
import io.rosetta.models.PropertyValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyValuesTest {

    private static final ModelRegistry MODELS = TestModels.registry(TestModels.shippedStore());
    private static final PropertyModel CELSIUS = new PropertyModel("value", "number", "Cel", -40.0, 125.0, null, true, null);
    private static final PropertyModel PERCENT = new PropertyModel("battery", "integer", "%", 0.0, 100.0, null, true, null);
    private static final PropertyModel MODE = new PropertyModel("mode", "string", null, null, null,
            List.of(JsonValue.of("on"), JsonValue.of("off")), false, null);

    @Test
    void convertsIntoThePropertysUnitAndRounds() throws Exception {
        assertThat(PropertyValues.coerce(MODELS, CELSIUS, JsonValue.of(70.7), "[degF]")).isEqualTo(JsonValue.of(21.5));
        assertThat(PropertyValues.coerce(MODELS, CELSIUS, JsonValue.of(21.5), null)).isEqualTo(JsonValue.of(21.5));
        assertThat(PropertyValues.coerce(MODELS, PERCENT, JsonValue.of(37), "%")).isEqualTo(JsonValue.of(37));
    }

    @Test
    void refusesWhatDoesNotFitWithItsKind() {
        assertKind(CELSIUS, JsonValue.of("hot"), null, PropertyValueException.Kind.WRONG_TYPE);
        assertKind(CELSIUS, JsonValue.of(150), null, PropertyValueException.Kind.OUT_OF_RANGE);
        assertKind(CELSIUS, JsonValue.of(20), "W", PropertyValueException.Kind.UNIT);
        assertKind(PERCENT, JsonValue.of(37.5), null, PropertyValueException.Kind.WRONG_TYPE);
        assertKind(MODE, JsonValue.of("auto"), null, PropertyValueException.Kind.OUT_OF_RANGE);
        assertThatThrownBy(() -> PropertyValues.coerce(MODELS, CELSIUS, JsonValue.of(150), null))
                .hasMessage("150 is above the maximum 125 Cel");
    }

    private static void assertKind(PropertyModel p, JsonValue v, String unit, PropertyValueException.Kind kind) {
        assertThatThrownBy(() -> PropertyValues.coerce(MODELS, p, v, unit)).isInstanceOfSatisfying(PropertyValueException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
