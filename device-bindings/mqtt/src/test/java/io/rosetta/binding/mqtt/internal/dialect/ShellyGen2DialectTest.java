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

/**
 * Frames as Shelly Gen2 firmware publishes them on {@code <id>/events/rpc} (a Shelly Plus H&T's
 * NotifyFullStatus after waking up, a Plus Plug S's NotifyStatus; Shelly API documentation, Notifications).
 */
class ShellyGen2DialectTest {

    static final String HT_FULL = "{\"src\":\"shellyplusht-b8d61a8b17cc\",\"dst\":\"shellyplusht-b8d61a8b17cc/events\","
            + "\"method\":\"NotifyFullStatus\",\"params\":{\"ts\":1680962879.62,\"ble\":{},\"cloud\":{\"connected\":false},"
            + "\"devicepower:0\":{\"id\":0,\"battery\":{\"V\":5.43,\"percent\":87},\"external\":{\"present\":false}},\"ht_ui\":{},"
            + "\"humidity:0\":{\"id\":0,\"rh\":40.0},\"mqtt\":{\"connected\":true},\"sys\":{\"mac\":\"B8D61A8B17CC\",\"restart_required\":false,"
            + "\"time\":null,\"unixtime\":null,\"uptime\":3,\"ram_size\":235300,\"ram_free\":164244,\"fs_size\":458752,\"fs_free\":118784,"
            + "\"cfg_rev\":10,\"kvs_rev\":0,\"webhook_rev\":0,\"available_updates\":{},\"wakeup_reason\":{\"boot\":\"deepsleep_wake\","
            + "\"cause\":\"status_update\"},\"wakeup_period\":600},\"temperature:0\":{\"id\":0,\"tC\":21.5,\"tF\":70.7},"
            + "\"wifi\":{\"sta_ip\":\"192.168.3.183\",\"status\":\"got ip\",\"ssid\":\"home\",\"rssi\":-62},\"ws\":{\"connected\":false}}}";
    static final String PLUG_STATUS = "{\"src\":\"shellyplusplugs-80646fe1d2a4\",\"dst\":\"shellyplusplugs-80646fe1d2a4/events\","
            + "\"method\":\"NotifyStatus\",\"params\":{\"ts\":1690016154.52,\"switch:0\":{\"id\":0,\"apower\":56.3,\"current\":0.244,"
            + "\"voltage\":231.2,\"aenergy\":{\"by_minute\":[940.123,938.411,941.002],\"minute_ts\":1690016153,\"total\":1514.153},"
            + "\"output\":true}}}";
    static final String EVENT = "{\"src\":\"shellyplusplugs-80646fe1d2a4\",\"dst\":\"shellyplusplugs-80646fe1d2a4/events\","
            + "\"method\":\"NotifyEvent\",\"params\":{\"ts\":1690016154.52,\"events\":[{\"component\":\"input:0\",\"id\":0,"
            + "\"event\":\"single_push\",\"ts\":1690016154.52}]}}";

    private final Map<ThingId, String> known = new HashMap<>();
    private final ShellyGen2Dialect dialect = new ShellyGen2Dialect("home", TestModels.catalog().mappings(ShellyGen2Dialect.ID), TestModels.mapper());

    private List<Decoded> decode(String topic, String payload) throws RejectedException {
        return dialect.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.ofNullable(known.get(id)));
    }

    private Decoded.Report report(String topic, String payload) throws RejectedException {
        List<Decoded> d = decode(topic, payload);
        assertThat(d).hasSize(1).first().isInstanceOf(Decoded.Report.class);
        return (Decoded.Report) d.get(0);
    }

    @Test
    void subscribesToNotificationsAndAvailability() {
        assertThat(dialect.subscriptions()).containsExactly("+/events/rpc", "+/online");
        assertThat(dialect.claims("shellyplusht-b8d61a8b17cc/events/rpc")).isTrue();
        assertThat(dialect.claims("shellyplusht-b8d61a8b17cc/rpc")).isFalse();
    }

    @Test
    void climateSensorFromItsFullStatus() throws Exception {
        Decoded.Report r = report("shellyplusht-b8d61a8b17cc/events/rpc", HT_FULL);

        assertThat(r.thingId()).isEqualTo(ThingId.of("home", "shelly-shellyplusht-b8d61a8b17cc"));
        assertThat(r.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(r.attach()).isTrue();
        assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
        assertThat(r.features().get("humidity").getOrNull("value").toString()).isIn("40", "40.0");
        assertThat(Json.write(r.features().get("device"))).isEqualTo("{\"batteryLevel\":87,\"signalStrength\":-62}");
        assertThat(r.configuration().getOrNull(Decoded.ADDRESS)).isEqualTo(JsonValue.of("shellyplusht-b8d61a8b17cc"));
    }

    @Test
    void meteringPlugWithEnergyConvertedFromWattHours() throws Exception {
        Decoded.Report r = report("shellyplusplugs-80646fe1d2a4/events/rpc", PLUG_STATUS);

        assertThat(r.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(Json.write(r.features().get("switch"))).isEqualTo("{\"on\":true}");
        JsonObject energy = r.features().get("energy");
        assertThat(energy.getOrNull("power").toString()).isEqualTo("56.3");
        // the model's energy is in kW.h, Shelly counts W.h: converted by the units library
        assertThat(energy.getOrNull("energy").toString()).isEqualTo("1.514153");
        assertThat(energy.getOrNull("voltage").toString()).isEqualTo("231.2");
    }

    @Test
    void partialStatusOfAnUnknownDeviceWaitsAndOfAKnownOneMaps() throws Exception {
        String wifiOnly = "{\"src\":\"shellyplusplugs-1\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":1690016154.52,\"wifi\":{\"rssi\":-70}}}";
        assertThat(decode("shellyplusplugs-1/events/rpc", wifiOnly)).singleElement().isInstanceOf(Decoded.Ignored.class);

        known.put(ThingId.of("home", "shelly-shellyplusplugs-1"), "rosetta:smart-plug:1.0.0");
        Decoded.Report r = report("shellyplusplugs-1/events/rpc", wifiOnly);
        assertThat(Json.write(r.features().get("device"))).isEqualTo("{\"signalStrength\":-70}");
        assertThat(r.features()).doesNotContainKey("switch");
    }

    @Test
    void availabilityFromTheOnlineTopic() throws Exception {
        assertThat(decode("shellyplusht-b8d61a8b17cc/online", "true"))
                .containsExactly(new Decoded.Availability(ThingId.of("home", "shelly-shellyplusht-b8d61a8b17cc"), true));
        assertThat(decode("shellyplusht-b8d61a8b17cc/online", "false"))
                .containsExactly(new Decoded.Availability(ThingId.of("home", "shelly-shellyplusht-b8d61a8b17cc"), false));
    }

    @Test
    void eventsAreIgnored() throws Exception {
        assertThat(decode("shellyplusplugs-80646fe1d2a4/events/rpc", EVENT)).singleElement().isInstanceOf(Decoded.Ignored.class);
    }

    @Test
    void switchCommandAsJsonRpcRequest() throws Exception {
        Dialect.DeviceRef plug = new Dialect.DeviceRef(ThingId.of("home", "shelly-shellyplusplugs-80646fe1d2a4"), "rosetta:smart-plug:1.0.0",
                JsonObject.of(Decoded.ADDRESS, JsonValue.of("shellyplusplugs-80646fe1d2a4")));

        List<Outbound> out = dialect.encode(plug, "switch", JsonObject.of("on", JsonValue.of(false)));

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo("shellyplusplugs-80646fe1d2a4/rpc");
            JsonObject frame = Json.parse(o.payload()).asObject();
            assertThat(frame.getOrNull("method")).isEqualTo(JsonValue.of("Switch.Set"));
            assertThat(frame.getOrNull("src")).isEqualTo(JsonValue.of("rosetta"));
            assertThat(frame.getOrNull("id")).isNotNull();
            assertThat(Json.write(frame.getOrNull("params"))).isEqualTo("{\"id\":0,\"on\":false}");
        });
        assertThat(dialect.encode(plug, "energy", JsonObject.of("power", JsonValue.of(3)))).isEmpty();
    }

    @Test
    void badInputIsRefusedWithItsReason() {
        String topic = "shellyplusht-b8d61a8b17cc/events/rpc";
        assertReason(topic, "{\"method\":\"NotifyFullStatus\",\"params\":{\"temperature:0\":", RejectReason.MALFORMED_PAYLOAD);
        assertReason(topic, "[1,2]", RejectReason.MALFORMED_PAYLOAD);
        assertReason(topic, "{\"params\":{}}", RejectReason.MALFORMED_PAYLOAD);
        assertReason(topic, "{\"method\":\"NotifyStatus\",\"params\":[]}", RejectReason.MALFORMED_PAYLOAD);
        assertReason(topic, "{\"method\":\"NotifyFullStatus\",\"params\":{\"temperature:0\":{\"id\":0,\"tC\":\"warm\"}}}", RejectReason.WRONG_TYPE);
        assertReason(topic, "{\"method\":\"NotifyFullStatus\",\"params\":{\"temperature:0\":{\"id\":0,\"tC\":21.5},\"humidity:0\":{\"id\":0,\"rh\":140}}}",
                RejectReason.OUT_OF_RANGE);
        assertReason(topic, "{\"method\":\"NotifyFullStatus\",\"params\":{\"sys\":{\"uptime\":3}}}", RejectReason.UNKNOWN_DEVICE);
        assertReason("shellyplusht-b8d61a8b17cc/online", "sleeping", RejectReason.OUT_OF_RANGE);
        assertReason("a/b/events/rpc", HT_FULL, RejectReason.UNKNOWN_TOPIC);
    }

    private void assertReason(String topic, String payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
