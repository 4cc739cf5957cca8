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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Homie 4 devices as the convention's examples publish them (homieiot.github.io/specification, 4.0.0): retained
 * attribute messages first, then plain-text property values.
 */
class HomieDialectTest {

    private final Map<ThingId, String> known = new HashMap<>();
    private final HomieDialect dialect = new HomieDialect("homie", "home", TestModels.catalog().mappings(HomieDialect.ID), TestModels.mapper());

    private List<Decoded> decode(String topic, String payload) throws RejectedException {
        return dialect.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.ofNullable(known.get(id)));
    }

    /** Publishes a sequence of messages and returns what the last one decoded to, all others must be ignored. */
    private List<Decoded> sequence(String... topicPayload) throws RejectedException {
        List<Decoded> last = new ArrayList<>();
        for (int i = 0; i < topicPayload.length; i += 2) {
            last = decode(topicPayload[i], topicPayload[i + 1]);
            if (i + 2 < topicPayload.length) {
                assertThat(last).as(topicPayload[i]).allMatch(d -> d instanceof Decoded.Ignored || d instanceof Decoded.Availability);
            }
        }
        return last;
    }

    static String[] climate(String device, String tempUnit, String temp) {
        return new String[] {
            "homie/" + device + "/$homie", "4.0.0",
            "homie/" + device + "/$name", "Living room climate",
            "homie/" + device + "/$state", "init",
            "homie/" + device + "/$nodes", "sensor",
            "homie/" + device + "/$extensions", "",
            "homie/" + device + "/sensor/$name", "DHT22",
            "homie/" + device + "/sensor/$type", "DHT22",
            // a value before its description (retained messages arrive in any order)
            "homie/" + device + "/sensor/temperature", temp,
            "homie/" + device + "/sensor/$properties", "temperature,humidity",
            "homie/" + device + "/sensor/temperature/$name", "Temperature",
            "homie/" + device + "/sensor/temperature/$unit", tempUnit,
            "homie/" + device + "/sensor/temperature/$datatype", "float",
            "homie/" + device + "/sensor/humidity", "40.0",
            "homie/" + device + "/sensor/humidity/$name", "Humidity",
            "homie/" + device + "/sensor/humidity/$unit", "%",
            "homie/" + device + "/sensor/humidity/$datatype", "float",
        };
    }

    @Test
    void climateSensorIsDiscoveredFromItsDescriptionWithTheValuesSeenSoFar() throws Exception {
        List<Decoded> d = sequence(climate("climate-livingroom", "°C", "21.5"));

        assertThat(d).singleElement().isInstanceOf(Decoded.Report.class);
        Decoded.Report r = (Decoded.Report) d.get(0);
        assertThat(r.thingId()).isEqualTo(ThingId.of("home", "homie-climate-livingroom"));
        assertThat(r.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
        assertThat(r.features().get("humidity").getOrNull("value").toString()).isIn("40", "40.0");

        assertThat(decode("homie/climate-livingroom/$state", "ready"))
                .containsExactly(new Decoded.Availability(ThingId.of("home", "homie-climate-livingroom"), true));
        assertThat(decode("homie/climate-livingroom/$state", "lost"))
                .containsExactly(new Decoded.Availability(ThingId.of("home", "homie-climate-livingroom"), false));

        known.put(r.thingId(), r.model());
        Decoded.Report next = (Decoded.Report) decode("homie/climate-livingroom/sensor/temperature", "22.25").get(0);
        assertThat(next.features()).containsOnlyKeys("temperature");
        assertThat(Json.write(next.features().get("temperature"))).isEqualTo("{\"value\":22.25}");
    }

    @Test
    void fahrenheitIsConvertedByItsUnit() throws Exception {
        Decoded.Report r = (Decoded.Report) sequence(climate("climate-us", "°F", "70.7")).get(0);
        assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
    }

    @Test
    void relayTakesCommandsOnItsSettableProperty() throws Exception {
        Decoded.Report r = (Decoded.Report) sequence(
                "homie/plug-desk/$homie", "4.0.0",
                "homie/plug-desk/$nodes", "relay",
                "homie/plug-desk/relay/$properties", "on,power",
                "homie/plug-desk/relay/on/$datatype", "boolean",
                "homie/plug-desk/relay/on/$settable", "true",
                "homie/plug-desk/relay/power/$unit", "W",
                "homie/plug-desk/relay/on", "true",
                "homie/plug-desk/relay/power", "56.3",
                "homie/plug-desk/relay/power/$datatype", "float").get(0);
        assertThat(r.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(r.features()).containsOnlyKeys("switch", "energy");
        assertThat(Json.write(r.features().get("switch"))).isEqualTo("{\"on\":true}");
        assertThat(Json.write(r.features().get("energy"))).isEqualTo("{\"power\":56.3}");

        List<Outbound> out = dialect.encode(new Dialect.DeviceRef(r.thingId(), r.model(), r.configuration()), "switch",
                JsonObject.of("on", JsonValue.of(false)));
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo("homie/plug-desk/relay/on/set");
            assertThat(o.payloadText()).isEqualTo("false");
        });
        assertThat(decode("homie/plug-desk/relay/on/set", "false")).singleElement().isInstanceOf(Decoded.Ignored.class);
    }

    @Test
    void badInputIsRefusedWithItsReason() throws Exception {
        sequence(climate("climate-bad", "°C", "21.5"));
        known.put(ThingId.of("home", "homie-climate-bad"), "rosetta:temperature-humidity-sensor:1.0.0");

        assertReason("homie/climate-bad/sensor/temperature", "warm", RejectReason.WRONG_TYPE);
        assertReason("homie/climate-bad/sensor/temperature", "NaN", RejectReason.WRONG_TYPE);
        assertReason("homie/climate-bad/sensor/humidity", "140", RejectReason.OUT_OF_RANGE);
        assertReason("homie/climate-bad/sensor/temperature/$datatype", "double", RejectReason.OUT_OF_RANGE);
        assertReason("homie/climate-bad/$state", "asleep", RejectReason.OUT_OF_RANGE);
        assertReason("homie/climate-bad/$nodes", "sensor,Bad Node", RejectReason.MALFORMED_PAYLOAD);
        assertReason("homie/Climate_Bad/$state", "ready", RejectReason.UNKNOWN_TOPIC);
        assertReason("homie/climate-bad/a/b/c/d", "1", RejectReason.UNKNOWN_TOPIC);

        sequence("homie/doorbell/$nodes", "button", "homie/doorbell/button/$properties", "pressed");
        assertReason("homie/doorbell/button/pressed/$datatype", "boolean", RejectReason.UNKNOWN_DEVICE);
    }

    private void assertReason(String topic, String payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
