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

/** Payloads as Tasmota firmware publishes them (captured from devices; see the Tasmota MQTT documentation). */
class TasmotaDialectTest {

    static final String AM2301 = "{\"Time\":\"2018-01-24T21:21:27\",\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}";
    static final String SI7021_F = "{\"Time\":\"2020-08-30T10:15:00\",\"SI7021\":{\"Temperature\":70.7,\"Humidity\":40.0,\"DewPoint\":45.9},\"TempUnit\":\"F\"}";
    static final String ENERGY = "{\"Time\":\"2023-05-19T20:52:56\",\"ENERGY\":{\"TotalStartTime\":\"2022-03-20T15:20:48\",\"Total\":514.153,"
            + "\"Yesterday\":1.495,\"Today\":0.537,\"Period\":0,\"Power\":56,\"ApparentPower\":92,\"ReactivePower\":73,\"Factor\":0.61,"
            + "\"Voltage\":234,\"Current\":0.392}}";
    static final String STATE = "{\"Time\":\"2020-08-28T20:37:17\",\"Uptime\":\"0T00:20:22\",\"UptimeSec\":1222,\"Heap\":15,"
            + "\"SleepMode\":\"Dynamic\",\"Sleep\":50,\"LoadAvg\":19,\"MqttCount\":1,\"POWER\":\"ON\",\"Wifi\":{\"AP\":1,\"SSId\":\"home\","
            + "\"BSSId\":\"68:7F:74:49:E3:7E\",\"Channel\":6,\"Mode\":\"11n\",\"RSSI\":42,\"Signal\":-79,\"LinkCount\":1,\"Downtime\":\"0T00:00:03\"}}";

    private final Map<ThingId, String> known = new HashMap<>();
    private TasmotaDialect dialect = dialect("%prefix%/%topic%/");

    private static TasmotaDialect dialect(String fullTopic) {
        return new TasmotaDialect(fullTopic, "home", TestModels.catalog().mappings(TasmotaDialect.ID), TestModels.mapper());
    }

    private List<Decoded> decode(String topic, String payload) throws RejectedException {
        return dialect.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.ofNullable(known.get(id)));
    }

    private Decoded.Report report(String topic, String payload) throws RejectedException {
        List<Decoded> d = decode(topic, payload);
        assertThat(d).hasSize(1).first().isInstanceOf(Decoded.Report.class);
        return (Decoded.Report) d.get(0);
    }

    @Test
    void subscribesToTelemetryAndResults() {
        assertThat(dialect.subscriptions()).containsExactly("tele/+/+", "stat/+/+");
        assertThat(dialect("home/%prefix%/%topic%/").subscriptions()).containsExactly("home/tele/+/+", "home/stat/+/+");
    }

    @Test
    void climateSensorInCelsius() throws Exception {
        Decoded.Report r = report("tele/th16/SENSOR", AM2301);

        assertThat(r.thingId()).isEqualTo(ThingId.of("home", "tasmota-th16"));
        assertThat(r.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(r.attach()).isTrue();
        assertThat(r.features()).containsOnly(
                Map.entry("temperature", JsonObject.of("value", JsonValue.of(21.5))),
                Map.entry("humidity", JsonObject.of("value", JsonValue.of(40.0))));
        assertThat(r.configuration().getOrNull(TasmotaDialect.COMMAND_TOPIC)).isEqualTo(JsonValue.of("cmnd/th16/"));
    }

    @Test
    void fahrenheitPerTempUnitIsConvertedByTheUnitsLibrary() throws Exception {
        Decoded.Report r = report("tele/th16/SENSOR", SI7021_F);
        assertThat(r.features().get("temperature")).isEqualTo(JsonObject.of("value", JsonValue.of(21.5)));
    }

    @Test
    void meteringPlugFromSensorAndState() throws Exception {
        Decoded.Report r = report("tele/sonoff_desk/SENSOR", ENERGY);

        assertThat(r.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(r.features()).containsOnlyKeys("energy");
        assertThat(r.features().get("energy")).isEqualTo(Json.parseObject("{\"power\":56,\"energy\":514.153,\"voltage\":234,\"current\":0.392}"));

        known.put(r.thingId(), r.model());
        Decoded.Report state = report("tele/sonoff_desk/STATE", STATE);
        assertThat(state.features()).containsOnly(
                Map.entry("switch", JsonObject.of("on", JsonValue.of(true))),
                Map.entry("device", JsonObject.of("signalStrength", JsonValue.of(-79))));

        Decoded.Report result = report("stat/sonoff_desk/RESULT", "{\"POWER\":\"OFF\"}");
        assertThat(result.features()).containsOnly(Map.entry("switch", JsonObject.of("on", JsonValue.of(false))));
        Decoded.Report power = report("stat/sonoff_desk/POWER", "ON");
        assertThat(power.features()).containsOnly(Map.entry("switch", JsonObject.of("on", JsonValue.of(true))));
    }

    @Test
    void aRelayWithoutSensorsIsAttachedOnItsSecondState() throws Exception {
        Decoded.Report first = report("tele/basic/STATE", STATE);
        assertThat(first.attach()).isFalse();
        assertThat(first.model()).isEqualTo("rosetta:smart-plug:1.0.0");

        Decoded.Report second = report("tele/basic/STATE", STATE);
        assertThat(second.attach()).isTrue();
    }

    @Test
    void aRelayWithAClimateSensorIsDecidedBySensor() throws Exception {
        assertThat(report("tele/th10/STATE", STATE).attach()).isFalse();
        Decoded.Report sensor = report("tele/th10/SENSOR", AM2301);
        assertThat(sensor.attach()).isTrue();
        assertThat(sensor.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
    }

    @Test
    void lastWillAndIgnoredMessages() throws Exception {
        ThingId id = ThingId.of("home", "tasmota-plug");
        assertThat(decode("tele/plug/LWT", "Online")).containsExactly(new Decoded.Availability(id, true));
        assertThat(decode("tele/plug/LWT", "Offline")).containsExactly(new Decoded.Availability(id, false));
        assertThat(decode("tele/plug/INFO1", "{\"Module\":\"Sonoff Basic\",\"Version\":\"9.5.0(tasmota)\"}"))
                .singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(decode("stat/plug/STATUS8", "{\"StatusSNS\":{}}")).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(decode("stat/plug/RESULT", "{\"POWER\":\"ON\"}")).singleElement().isInstanceOf(Decoded.Ignored.class); // model not known yet
    }

    @Test
    void commandsGoToCmndTopics() throws Exception {
        Decoded.Report r = report("tele/sonoff_desk/SENSOR", ENERGY);
        Dialect.DeviceRef ref = new Dialect.DeviceRef(r.thingId(), r.model(), r.configuration());

        List<Outbound> out = dialect.encode(ref, "switch", Json.parseObject("{\"on\":true,\"powerOnState\":\"previous\"}"));

        assertThat(out).extracting(Outbound::topic).containsExactly("cmnd/sonoff_desk/Power", "cmnd/sonoff_desk/PowerOnState");
        assertThat(out).extracting(Outbound::payloadText).containsExactly("ON", "3");
    }

    @Test
    void customFullTopic() throws Exception {
        dialect = dialect("home/%prefix%/%topic%/");
        Decoded.Report r = report("home/tele/garage/SENSOR", AM2301);
        assertThat(r.thingId().name()).isEqualTo("tasmota-garage");
        assertThat(r.configuration().getOrNull(TasmotaDialect.COMMAND_TOPIC)).isEqualTo(JsonValue.of("home/cmnd/garage/"));
        assertThat(dialect.claims("tele/garage/SENSOR")).isFalse();
    }

    @Test
    void badInputIsRefusedWithItsReason() {
        assertReject("tele/x/SENSOR", "{\"Time\":\"2020-01-01T00:00:00\",\"AM2301\":{\"Temperature\":nan}}", RejectReason.MALFORMED_PAYLOAD);
        assertReject("tele/x/SENSOR", "{\"AM2301\":{\"Temperature\":\"21.5\",\"Humidity\":40},\"TempUnit\":\"C\"}", RejectReason.WRONG_TYPE);
        assertReject("tele/x/SENSOR", "{\"AM2301\":{\"Temperature\":-60,\"Humidity\":40},\"TempUnit\":\"C\"}", RejectReason.OUT_OF_RANGE);
        assertReject("tele/x/SENSOR", "{\"AM2301\":{\"Temperature\":21,\"Humidity\":40},\"TempUnit\":\"K\"}", RejectReason.UNIT);
        assertReject("tele/x/SENSOR", "{\"Time\":\"2020-01-01T00:00:00\",\"BH1750\":{\"Illuminance\":120}}", RejectReason.UNKNOWN_DEVICE);
        assertReject("tele/x/FOO", "{}", RejectReason.UNKNOWN_TOPIC);
        assertReject("tele/x/LWT", "Sleeping", RejectReason.OUT_OF_RANGE);
    }

    private void assertReject(String topic, String payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload)).isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).reason()).as(payload).isEqualTo(reason));
    }
}
