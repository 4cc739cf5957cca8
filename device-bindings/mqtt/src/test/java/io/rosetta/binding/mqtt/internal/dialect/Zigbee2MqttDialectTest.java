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
import org.junit.jupiter.api.Test;

/** Payloads as Zigbee2MQTT 1.x/2.x publishes them (see zigbee2mqtt.io "MQTT Topics and Messages"). */
class Zigbee2MqttDialectTest {

    static final String SENSOR_STATE = "{\"battery\":100,\"humidity\":40,\"linkquality\":134,\"temperature\":21.5,\"voltage\":3025}";

    /** A bridge/devices excerpt as Zigbee2MQTT publishes it (retained): the coordinator and an Aqara sensor. */
    static final String BRIDGE_DEVICES = """
            [{"definition":null,"disabled":false,"endpoints":{},"friendly_name":"Coordinator","ieee_address":"0x00124b0018e2a5ac",\
            "interview_completed":true,"interviewing":false,"network_address":0,"supported":false,"type":"Coordinator"},
             {"date_code":"20161129","definition":{"description":"Aqara temperature, humidity and pressure sensor",\
            "exposes":[{"access":1,"name":"battery","property":"battery","type":"numeric","unit":"%","value_max":100,"value_min":0},\
            {"access":1,"name":"temperature","property":"temperature","type":"numeric","unit":"°C"},\
            {"access":1,"name":"humidity","property":"humidity","type":"numeric","unit":"%"},\
            {"access":1,"name":"pressure","property":"pressure","type":"numeric","unit":"hPa"},\
            {"access":1,"name":"linkquality","property":"linkquality","type":"numeric","unit":"lqi","value_max":255,"value_min":0}],\
            "model":"WSDCGQ11LM","supports_ota":false,"vendor":"Aqara"},"disabled":false,"friendly_name":"bedroom/climate",\
            "ieee_address":"0x00158d0001e1c2a3","interview_completed":true,"interviewing":false,"manufacturer":"LUMI",\
            "model_id":"lumi.weather","network_address":29315,"power_source":"Battery","software_build_id":"3000-0001",\
            "supported":true,"type":"EndDevice"},
             {"definition":{"description":"Smart plug","exposes":[{"type":"switch","features":[{"access":7,"name":"state",\
            "property":"state","type":"binary","value_off":"OFF","value_on":"ON"}]},{"access":5,"name":"power","property":"power",\
            "type":"numeric","unit":"W"}],"model":"TS011F_plug_1","vendor":"Tuya"},"friendly_name":"kettle",\
            "ieee_address":"0xa4c1380000000001","software_build_id":"\\u0000\\u0000","type":"Router"}]
            """;

    private final Map<ThingId, String> known = new HashMap<>();
    private final Zigbee2MqttDialect dialect = new Zigbee2MqttDialect("zigbee2mqtt", "home",
            TestModels.catalog().mappings(Zigbee2MqttDialect.ID), TestModels.mapper());

    private List<Decoded> decode(String topic, String payload) throws RejectedException {
        return dialect.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.ofNullable(known.get(id)));
    }

    private Decoded.Report report(String topic, String payload) throws RejectedException {
        List<Decoded> d = decode(topic, payload);
        assertThat(d).hasSize(1).first().isInstanceOf(Decoded.Report.class);
        return (Decoded.Report) d.get(0);
    }

    @Test
    void mapsAClimateSensorOntoTheTemperatureHumidityModel() throws Exception {
        Decoded.Report r = report("zigbee2mqtt/living_room", SENSOR_STATE);

        assertThat(r.thingId()).isEqualTo(ThingId.of("home", "z2m-living_room"));
        assertThat(r.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(r.attach()).isTrue();
        assertThat(r.configuration().getOrNull(Decoded.ADDRESS)).isEqualTo(JsonValue.of("living_room"));
        assertThat(r.features()).containsOnly(
                Map.entry("temperature", JsonObject.of("value", JsonValue.of(21.5))),
                Map.entry("humidity", JsonObject.of("value", JsonValue.of(40))),
                Map.entry("device", JsonObject.of("batteryLevel", JsonValue.of(100))));
    }

    @Test
    void friendlyNamesWithSlashesAndAvailabilityTopics() throws Exception {
        Decoded.Report r = report("zigbee2mqtt/kitchen/floor_sensor", SENSOR_STATE);
        assertThat(r.thingId().name()).isEqualTo("z2m-kitchen_floor_sensor");
        assertThat(r.configuration().getOrNull(Decoded.ADDRESS)).isEqualTo(JsonValue.of("kitchen/floor_sensor"));

        assertThat(decode("zigbee2mqtt/kitchen/floor_sensor/availability", "{\"state\":\"offline\"}"))
                .containsExactly(new Decoded.Availability(r.thingId(), false));
        assertThat(decode("zigbee2mqtt/kitchen/floor_sensor/availability", "online")) // legacy payload before 1.29
                .containsExactly(new Decoded.Availability(r.thingId(), true));
    }

    @Test
    void plugStateAndMeteringAndItsCommands() throws Exception {
        Decoded.Report r = report("zigbee2mqtt/kettle",
                "{\"current\":0.24,\"energy\":1.27,\"linkquality\":120,\"power\":56,\"power_on_behavior\":\"previous\",\"state\":\"ON\",\"voltage\":231}");

        assertThat(r.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(r.features().get("switch")).isEqualTo(Json.parseObject("{\"on\":true,\"powerOnState\":\"previous\"}"));
        assertThat(r.features().get("energy")).isEqualTo(Json.parseObject("{\"power\":56,\"energy\":1.27,\"voltage\":231,\"current\":0.24}"));

        List<Outbound> out = dialect.encode(new Dialect.DeviceRef(r.thingId(), r.model(), r.configuration()), "switch",
                Json.parseObject("{\"on\":false,\"powerOnState\":\"off\"}"));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo("zigbee2mqtt/kettle/set");
        assertThat(Json.parse(out.get(0).payload())).isEqualTo(Json.parse("{\"state\":\"OFF\",\"power_on_behavior\":\"off\"}"));
    }

    @Test
    void contactSensorsReportOpenAsTheInverseOfContact() throws Exception {
        Decoded.Report r = report("zigbee2mqtt/front_door", "{\"battery\":91,\"contact\":false,\"linkquality\":87,\"tamper\":false,\"voltage\":3005}");
        assertThat(r.model()).isEqualTo("rosetta:contact-sensor:1.0.0");
        assertThat(r.features().get("contact")).isEqualTo(Json.parseObject("{\"open\":true,\"tamper\":false}"));
    }

    @Test
    void aKnownDeviceKeepsItsModel() throws Exception {
        known.put(ThingId.of("home", "z2m-hall"), "rosetta:motion-sensor:1.0.0");
        Decoded.Report r = report("zigbee2mqtt/hall", "{\"temperature\":19.0,\"occupancy\":true,\"illuminance_lux\":8}");
        assertThat(r.model()).isEqualTo("rosetta:motion-sensor:1.0.0");
        assertThat(r.features().get("motion")).isEqualTo(Json.parseObject("{\"detected\":true,\"illuminance\":8}"));
        assertThat(r.features().get("temperature")).isEqualTo(Json.parseObject("{\"value\":19.0}"));
    }

    @Test
    void bridgeDevicesAnnounceDevicesByTheirExposes() throws Exception {
        List<Decoded> d = decode("zigbee2mqtt/bridge/devices", BRIDGE_DEVICES);

        assertThat(d).hasSize(2);
        Decoded.Report climate = (Decoded.Report) d.get(0);
        assertThat(climate.thingId()).isEqualTo(ThingId.of("home", "z2m-bedroom_climate"));
        assertThat(climate.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(climate.features().get("device")).isEqualTo(Json.parseObject("{\"manufacturer\":\"Aqara\",\"firmwareVersion\":\"3000-0001\"}"));
        // what the inbox entry and the approved twin get as attributes
        assertThat(climate.attributes()).isEqualTo(Json.parseObject("{\"zigbee\":{\"ieeeAddress\":\"0x00158d0001e1c2a3\",\"vendor\":\"Aqara\","
                + "\"model\":\"WSDCGQ11LM\",\"description\":\"Aqara temperature, humidity and pressure sensor\"}}"));
        Decoded.Report plug = (Decoded.Report) d.get(1);
        assertThat(plug.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(plug.features().get("device")).isEqualTo(Json.parseObject("{\"manufacturer\":\"Tuya\"}")); // no NUL build id
    }

    @Test
    void bridgeMessagesAndOwnCommandsAreIgnored() throws Exception {
        assertThat(decode("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}")).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(decode("zigbee2mqtt/kettle/set", "{\"state\":\"ON\"}")).singleElement().isInstanceOf(Decoded.Ignored.class);
    }

    @Test
    void badInputIsRefusedWithItsReason() {
        assertReject("zigbee2mqtt/x", "{\"temperature\":21.5,", RejectReason.MALFORMED_PAYLOAD);
        assertReject("zigbee2mqtt/x", "[1,2]", RejectReason.MALFORMED_PAYLOAD);
        assertReject("zigbee2mqtt/x", "{\"temperature\":\"hot\"}", RejectReason.WRONG_TYPE);
        // as early Zigbee2MQTT versions published a Xiaomi sensor: the battery level as a string
        assertReject("zigbee2mqtt/x", "{\"temperature\":24.59,\"linkquality\":39,\"humidity\":36.56,\"pressure\":990,\"battery\":\"37.00\",\"voltage\":2975}",
                RejectReason.WRONG_TYPE);
        assertReject("zigbee2mqtt/x", "{\"temperature\":150,\"humidity\":40}", RejectReason.OUT_OF_RANGE);
        assertReject("zigbee2mqtt/x", "{\"temperature\":20,\"humidity\":101}", RejectReason.OUT_OF_RANGE);
        assertReject("zigbee2mqtt/x", "{\"action\":\"single\"}", RejectReason.UNKNOWN_DEVICE);
        assertReject("zigbee2mqtt/x/availability", "maybe", RejectReason.OUT_OF_RANGE);
        assertReject("zigbee2mqtt/", "{}", RejectReason.UNKNOWN_TOPIC);
        assertReject("zigbee2mqtt", "{}", RejectReason.UNKNOWN_TOPIC); // '#' matches the parent level too
        assertThat(dialect.claims("zigbee2mqtt")).isTrue();
    }

    private void assertReject(String topic, String payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload)).isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).reason()).as(payload).isEqualTo(reason));
    }
}
