package io.rosetta.binding.mqtt.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Value templates as Zigbee2MQTT, Tasmota and hand-written configs use them. */
class HaTemplateTest {

    private static JsonValue eval(String template, String payload) throws RejectedException {
        return HaTemplate.parse(template).evaluate(payload, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSupportedForms() throws Exception {
        assertThat(eval("{{ value }}", "21.5")).isEqualTo(JsonValue.of("21.5"));
        assertThat(eval("{{ value_json.temperature }}", "{\"temperature\":21.5}")).isEqualTo(JsonValue.of(21.5));
        assertThat(eval("{{value_json['AM2301'].Temperature}}", "{\"AM2301\":{\"Temperature\":70.7}}")).isEqualTo(JsonValue.of(70.7));
        assertThat(eval("{{ value_json[\"SI7021-14\"][\"Humidity\"] }}", "{\"SI7021-14\":{\"Humidity\":40}}")).isEqualTo(JsonValue.of(40));
        assertThat(eval("{{ value_json.state }}", "{\"state\":\"ON\"}")).isEqualTo(JsonValue.of("ON"));
        assertThat(eval("{{ value | float | round(1) }}", "21.54")).isEqualTo(JsonValue.of(21.5));
        assertThat(eval("{{ value_json.rh | int }}", "{\"rh\":\"40.7\"}")).isEqualTo(JsonValue.of(40));
        // a partial JSON state does not carry the member
        assertThat(eval("{{ value_json.power }}", "{\"state\":\"ON\"}")).isNull();
        assertThat(eval("{{ value_json.power }}", "{\"power\":null}")).isNull();
    }

    @Test
    void otherFormsAndBadPayloadsAreRefused() {
        assertThatThrownBy(() -> HaTemplate.parse("{% if value_json.t > 0 %}{{ value_json.t }}{% endif %}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HaTemplate.parse("{{ value_json.t | timestamp_local }}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HaTemplate.parse("{{ states('sensor.x') }}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eval("{{ value_json.t }}", "{\"t\":"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.MALFORMED_PAYLOAD));
        assertThatThrownBy(() -> eval("{{ value | float }}", "warm"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE));
    }
}
