package io.rosetta.binding.mqtt.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.TestModels;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Home Assistant discovery as the firmware publishes it: ESPHome (abbreviated keys, plain-text states), Tasmota
 * (abbreviated keys, value templates into its SENSOR JSON, LWT availability) and Zigbee2MQTT (full keys, one JSON
 * state for all entities, availability from the bridge state).
 */
class HomeAssistantDialectTest {

    static final String ESPHOME_TEMP = "{\"dev_cla\":\"temperature\",\"unit_of_meas\":\"°C\",\"stat_cla\":\"measurement\",\"name\":\"Temperature\","
            + "\"stat_t\":\"livingroom/sensor/temperature/state\",\"avty_t\":\"livingroom/status\",\"uniq_id\":\"ESPsensortemperature\","
            + "\"dev\":{\"ids\":\"98f4ab123456\",\"name\":\"livingroom\",\"sw\":\"esphome v2023.5.5\",\"mdl\":\"esp32dev\",\"mf\":\"espressif\"}}";
    static final String ESPHOME_HUM = "{\"dev_cla\":\"humidity\",\"unit_of_meas\":\"%\",\"stat_cla\":\"measurement\",\"name\":\"Humidity\","
            + "\"stat_t\":\"livingroom/sensor/humidity/state\",\"avty_t\":\"livingroom/status\",\"uniq_id\":\"ESPsensorhumidity\","
            + "\"dev\":{\"ids\":\"98f4ab123456\",\"name\":\"livingroom\",\"sw\":\"esphome v2023.5.5\",\"mdl\":\"esp32dev\",\"mf\":\"espressif\"}}";
    static final String TASMOTA_TEMP = "{\"name\":\"Tasmota AM2301 Temperature\",\"stat_t\":\"tele/tasmota_8C4E2D/SENSOR\","
            + "\"avty_t\":\"tele/tasmota_8C4E2D/LWT\",\"pl_avail\":\"Online\",\"pl_not_avail\":\"Offline\",\"uniq_id\":\"8C4E2D_AM2301_Temperature\","
            + "\"dev\":{\"ids\":[\"8C4E2D\"]},\"unit_of_meas\":\"°F\",\"dev_cla\":\"temperature\",\"frc_upd\":true,"
            + "\"val_tpl\":\"{{value_json['AM2301'].Temperature}}\"}";
    static final String TASMOTA_HUM = "{\"name\":\"Tasmota AM2301 Humidity\",\"stat_t\":\"tele/tasmota_8C4E2D/SENSOR\","
            + "\"avty_t\":\"tele/tasmota_8C4E2D/LWT\",\"pl_avail\":\"Online\",\"pl_not_avail\":\"Offline\",\"uniq_id\":\"8C4E2D_AM2301_Humidity\","
            + "\"dev\":{\"ids\":[\"8C4E2D\"]},\"unit_of_meas\":\"%\",\"dev_cla\":\"humidity\",\"frc_upd\":true,"
            + "\"val_tpl\":\"{{value_json['AM2301'].Humidity}}\"}";
    static final String Z2M_SWITCH = "{\"availability\":[{\"topic\":\"zigbee2mqtt/bridge/state\",\"value_template\":\"{{ value_json.state }}\"}],"
            + "\"command_topic\":\"zigbee2mqtt/desk plug/set\",\"device\":{\"identifiers\":[\"zigbee2mqtt_0xa4c138d7f8b6c3e1\"],"
            + "\"manufacturer\":\"TuYa\",\"model\":\"Smart plug (with power monitoring) (TS011F_plug_1)\",\"name\":\"desk plug\"},"
            + "\"object_id\":\"desk_plug\",\"payload_off\":\"{\\\"state\\\": \\\"OFF\\\"}\",\"payload_on\":\"{\\\"state\\\": \\\"ON\\\"}\","
            + "\"state_off\":\"OFF\",\"state_on\":\"ON\",\"state_topic\":\"zigbee2mqtt/desk plug\",\"unique_id\":\"0xa4c138d7f8b6c3e1_switch_zigbee2mqtt\","
            + "\"value_template\":\"{{ value_json.state }}\"}";
    static final String Z2M_POWER = "{\"availability\":[{\"topic\":\"zigbee2mqtt/bridge/state\",\"value_template\":\"{{ value_json.state }}\"}],"
            + "\"device\":{\"identifiers\":[\"zigbee2mqtt_0xa4c138d7f8b6c3e1\"],\"name\":\"desk plug\"},\"device_class\":\"power\","
            + "\"enabled_by_default\":true,\"object_id\":\"desk_plug_power\",\"state_class\":\"measurement\",\"state_topic\":\"zigbee2mqtt/desk plug\","
            + "\"unique_id\":\"0xa4c138d7f8b6c3e1_power_zigbee2mqtt\",\"unit_of_measurement\":\"W\",\"value_template\":\"{{ value_json.power }}\"}";
    static final String Z2M_ENERGY = "{\"device\":{\"identifiers\":[\"zigbee2mqtt_0xa4c138d7f8b6c3e1\"],\"name\":\"desk plug\"},"
            + "\"device_class\":\"energy\",\"state_class\":\"total_increasing\",\"state_topic\":\"zigbee2mqtt/desk plug\","
            + "\"unique_id\":\"0xa4c138d7f8b6c3e1_energy_zigbee2mqtt\",\"unit_of_measurement\":\"kWh\",\"value_template\":\"{{ value_json.energy }}\"}";

    private final Map<ThingId, String> known = new HashMap<>();
    private final AtomicInteger resubscribed = new AtomicInteger();
    private final HomeAssistantDialect dialect = new HomeAssistantDialect("homeassistant", "home",
            TestModels.catalog().mappings(HomeAssistantDialect.ID), TestModels.mapper(), resubscribed::incrementAndGet);

    private List<Decoded> decode(String topic, String payload) throws RejectedException {
        return dialect.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.ofNullable(known.get(id)));
    }

    private Decoded.Report report(String topic, String payload) throws RejectedException {
        List<Decoded> d = decode(topic, payload);
        assertThat(d).hasSize(1).first().isInstanceOf(Decoded.Report.class);
        return (Decoded.Report) d.get(0);
    }

    @Test
    void esphomeSensorsFormOneDeviceAndTheirTopicsAreSubscribed() throws Exception {
        assertThat(dialect.subscriptions()).containsExactly("homeassistant/+/+/config", "homeassistant/+/+/+/config");
        // each config after which the entities fit a model announces the device (for the inbox), with its device block as attributes
        Decoded.Announcement first = (Decoded.Announcement) decode("homeassistant/sensor/livingroom/temperature/config", ESPHOME_TEMP).get(0);
        assertThat(first.thingId()).isEqualTo(ThingId.of("home", "ha-98f4ab123456"));
        assertThat(first.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(io.rosetta.core.json.Json.write(first.attributes()))
                .isEqualTo("{\"manufacturer\":\"espressif\",\"model\":\"esp32dev\",\"name\":\"livingroom\",\"firmwareVersion\":\"esphome v2023.5.5\"}");
        assertThat(decode("homeassistant/sensor/livingroom/humidity/config", ESPHOME_HUM)).singleElement().isInstanceOf(Decoded.Announcement.class);
        assertThat(resubscribed).hasValue(2);
        assertThat(dialect.subscriptions()).contains("livingroom/sensor/temperature/state", "livingroom/sensor/humidity/state", "livingroom/status");
        assertThat(dialect.claims("livingroom/sensor/temperature/state")).isTrue();
        assertThat(dialect.claims("livingroom/sensor/pressure/state")).isFalse();

        Decoded.Report t = report("livingroom/sensor/temperature/state", "21.5");
        assertThat(t.thingId()).isEqualTo(ThingId.of("home", "ha-98f4ab123456"));
        assertThat(t.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(Json.write(t.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
        assertThat(t.configuration().getOrNull(Decoded.ADDRESS)).isEqualTo(JsonValue.of("98f4ab123456"));
        known.put(t.thingId(), t.model());
        Decoded.Report h = report("livingroom/sensor/humidity/state", "40.0");
        assertThat(h.features().get("humidity").getOrNull("value").toString()).isIn("40", "40.0");

        assertThat(decode("livingroom/status", "offline")).containsExactly(new Decoded.Availability(t.thingId(), false));
        assertThat(decode("livingroom/sensor/temperature/state", "unavailable")).singleElement().isInstanceOf(Decoded.Ignored.class);

        assertThat(decode("homeassistant/sensor/livingroom/humidity/config", "")).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(dialect.claims("livingroom/sensor/humidity/state")).isFalse();
        assertThat(resubscribed).hasValue(3);
    }

    @Test
    void tasmotaTemplatesIntoOneJsonStateWithFahrenheitConverted() throws Exception {
        decode("homeassistant/sensor/8C4E2D_AM2301_Temperature/config", TASMOTA_TEMP);
        decode("homeassistant/sensor/8C4E2D_AM2301_Humidity/config", TASMOTA_HUM);

        Decoded.Report r = report("tele/tasmota_8C4E2D/SENSOR",
                "{\"Time\":\"2021-01-01T00:00:00\",\"AM2301\":{\"Temperature\":70.7,\"Humidity\":40.0,\"DewPoint\":45.9},\"TempUnit\":\"F\"}");
        assertThat(r.thingId()).isEqualTo(ThingId.of("home", "ha-8C4E2D"));
        assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
        assertThat(r.features().get("humidity").getOrNull("value").toString()).isIn("40", "40.0");
        assertThat(decode("tele/tasmota_8C4E2D/LWT", "Online")).containsExactly(new Decoded.Availability(r.thingId(), true));
    }

    @Test
    void zigbee2mqttPlugWithSwitchCommandAndBridgeAvailability() throws Exception {
        decode("homeassistant/switch/0xa4c138d7f8b6c3e1/switch/config", Z2M_SWITCH);
        decode("homeassistant/sensor/0xa4c138d7f8b6c3e1/power/config", Z2M_POWER);
        decode("homeassistant/sensor/0xa4c138d7f8b6c3e1/energy/config", Z2M_ENERGY);

        Decoded.Report r = report("zigbee2mqtt/desk plug", "{\"energy\":1.51,\"linkquality\":72,\"power\":56,\"state\":\"ON\",\"voltage\":231}");
        assertThat(r.thingId()).isEqualTo(ThingId.of("home", "ha-zigbee2mqtt_0xa4c138d7f8b6c3e1"));
        assertThat(r.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(Json.write(r.features().get("switch"))).isEqualTo("{\"on\":true}");
        assertThat(r.features().get("energy").getOrNull("power").toString()).isEqualTo("56");
        assertThat(r.features().get("energy").getOrNull("energy").toString()).isEqualTo("1.51");

        assertThat(decode("zigbee2mqtt/bridge/state", "{\"state\":\"offline\"}")).containsExactly(new Decoded.Availability(r.thingId(), false));

        List<Outbound> out = dialect.encode(new Dialect.DeviceRef(r.thingId(), r.model(), r.configuration()), "switch",
                JsonObject.of("on", JsonValue.of(false)));
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo("zigbee2mqtt/desk plug/set");
            assertThat(o.payloadText()).isEqualTo("{\"state\": \"OFF\"}");
        });
    }

    @Test
    void badInputIsRefusedWithItsReason() throws Exception {
        decode("homeassistant/sensor/livingroom/temperature/config", ESPHOME_TEMP);
        decode("homeassistant/switch/0xa4c138d7f8b6c3e1/switch/config", Z2M_SWITCH);

        assertReason("homeassistant/sensor/x/temperature/config", "{\"dev_cla\":", RejectReason.MALFORMED_PAYLOAD);
        assertReason("homeassistant/sensor/x/temperature/config", "{\"dev_cla\":\"temperature\"}", RejectReason.MALFORMED_PAYLOAD);
        assertReason("homeassistant/sensor/x/temperature/config",
                "{\"stat_t\":\"x/t\",\"val_tpl\":\"{% if value_json.t > 0 %}{{ value_json.t }}{% endif %}\"}", RejectReason.UNKNOWN_DEVICE);
        assertReason("livingroom/sensor/temperature/state", "warm", RejectReason.WRONG_TYPE);
        assertReason("livingroom/sensor/temperature/state", "4000", RejectReason.OUT_OF_RANGE);
        assertReason("livingroom/status", "sleeping", RejectReason.OUT_OF_RANGE);
        assertReason("zigbee2mqtt/desk plug", "{\"state\":\"TOGGLE\"}", RejectReason.OUT_OF_RANGE);
        assertReason("zigbee2mqtt/desk plug", "{\"state\":", RejectReason.MALFORMED_PAYLOAD);
        assertReason("somewhere/else", "1", RejectReason.UNKNOWN_TOPIC);
        decode("homeassistant/sensor/lonely/pressure/config", "{\"dev_cla\":\"pressure\",\"stat_t\":\"lonely/p\",\"unit_of_meas\":\"hPa\"}");
        assertReason("lonely/p", "1013", RejectReason.UNKNOWN_DEVICE);
    }

    private void assertReason(String topic, String payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
