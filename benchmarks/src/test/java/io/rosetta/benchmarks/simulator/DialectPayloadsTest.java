package io.rosetta.benchmarks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.mqtt.internal.dialect.Decoded;
import io.rosetta.binding.mqtt.internal.dialect.Outbound;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message the simulator publishes, of every device kind of every dialect, read by the MQTT
 * binding's real dialect classes: nothing refused, every device attached with the model of its kind,
 * every telemetry message reported with the value its mark names, and desired state sent by the binding
 * answered by the device so that the reported state converges.
 */
class DialectPayloadsTest {

    static final Map<Kind, String> MODELS = Map.of(
            Kind.CLIMATE, "rosetta:temperature-humidity-sensor:1.0.0",
            Kind.PLUG, "rosetta:smart-plug:1.0.0",
            Kind.CONTACT, "rosetta:contact-sensor:1.0.0",
            Kind.MOTION, "rosetta:motion-sensor:1.0.0",
            Kind.AIR_QUALITY, "rosetta:air-quality-sensor:1.0.0");

    static SimulatorOptions options(String dialect, int devices) {
        Assumptions.assumeTrue(!dialect.equals("sparkplug") || BindingHarness.hasSparkplug(),
                "the MQTT binding on the class path has no Sparkplug B dialect; the Sparkplug payloads are checked with Tahu only");
        return SimulatorOptions.parse(new String[] {"--dialects", dialect, "--devices", Integer.toString(devices),
            "--toggle-chance", "0"});
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt", "tasmota", "shelly", "homie", "homeassistant", "generic", "sparkplug"})
    void everyMessageIsReadAndReportsTheMarkedValue(String dialect) {
        SimulatorOptions o = options(dialect, 12);
        Fleet fleet = new Fleet(o);
        BindingHarness binding = BindingHarness.of(dialect, o);

        fleet.announcements().values().forEach(binding::feedAll);

        for (SimDevice d : fleet.devices()) {
            assertThat(binding.models).as("model of %s", d).containsEntry(binding.id(d), MODELS.get(d.kind()));
            if (!dialect.equals("generic")) {
                assertThat(binding.online).as("availability of %s", d).containsEntry(binding.id(d), true);
            }
        }
        assertThat(fleet.devices()).extracting(SimDevice::kind).contains(Kind.CLIMATE, Kind.PLUG);

        int marked = 0;
        for (int round = 0; round < 40; round++) {
            for (SimDevice d : fleet.devices()) {
                Message m = d.telemetry();
                List<Decoded> out = binding.feed(m);
                assertThat(out).as("%s", m).hasSize(1).first().isInstanceOf(Decoded.Report.class);
                Decoded.Report r = (Decoded.Report) out.get(0);
                assertThat(r.thingId()).isEqualTo(binding.id(d));
                assertThat(r.model()).isEqualTo(MODELS.get(d.kind()));
                if (m.mark() != null) {
                    JsonObject f = r.features().get(m.mark().feature());
                    assertThat(f).as("feature %s of %s", m.mark().feature(), m).isNotNull();
                    JsonValue v = f.getOrNull(m.mark().property());
                    assertThat(v).as("%s of %s", m.mark(), m).isInstanceOf(JsonNumber.class);
                    assertThat(((JsonNumber) v).doubleValue()).as("%s of %s", m.mark(), m).isEqualTo(m.mark().value());
                    marked++;
                }
                JsonObject t = r.features().get("temperature");
                if (t != null && t.getOrNull("value") instanceof JsonNumber n) {
                    // °F devices (a quarter of Tasmota and Homie sensors, the generic ones) arrive in °C
                    assertThat(n.doubleValue()).as("temperature of %s", m).isCloseTo(d.temperatureC(), org.assertj.core.data.Offset.offset(0.1));
                }
            }
        }
        assertThat(marked).as("telemetry messages with a mark").isGreaterThan(fleet.devices().size() * 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt", "tasmota", "shelly", "homie", "homeassistant", "generic", "sparkplug"})
    void desiredStateSentByTheBindingIsAnsweredWithTheNewState(String dialect) {
        SimulatorOptions o = options(dialect, 6);
        Fleet fleet = new Fleet(o);
        BindingHarness binding = BindingHarness.of(dialect, o);
        fleet.announcements().values().forEach(binding::feedAll);

        List<SimDevice> plugs = fleet.devices().stream().filter(d -> d.kind() == Kind.PLUG).toList();
        assertThat(plugs).isNotEmpty();
        for (SimDevice plug : plugs) {
            // (a Tasmota plug's relay is in its STATE, which arrives before the SENSOR that attaches it: known from the next STATE)
            assertThat(binding.property(plug, "switch", "on")).isIn(JsonBoolean.TRUE, null);
            for (boolean on : new boolean[] {false, true, false}) {
                roundTrip(fleet, binding, plug, "switch", JsonObject.of("on", JsonValue.of(on)));
                assertThat(binding.property(plug, "switch", "on")).as("%s switched %s", plug, on).isEqualTo(JsonValue.of(on));
                if (!on) {
                    assertThat(plug.power()).isZero();
                }
            }
        }
        if (dialect.equals("tasmota") || dialect.equals("zigbee2mqtt")) {
            roundTrip(fleet, binding, plugs.get(0), "switch", JsonObject.of("powerOnState", JsonValue.of("off")));
            assertThat(binding.property(plugs.get(0), "switch", "powerOnState")).isEqualTo(JsonValue.of("off"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt"})
    void aMotionSensorsTimeoutIsWritable(String dialect) {
        SimulatorOptions o = options(dialect, 10);
        Fleet fleet = new Fleet(o);
        BindingHarness binding = BindingHarness.of(dialect, o);
        fleet.announcements().values().forEach(binding::feedAll);
        SimDevice motion = fleet.devices().stream().filter(d -> d.kind() == Kind.MOTION).findFirst().orElseThrow();

        roundTrip(fleet, binding, motion, "motion", JsonObject.of("occupancyTimeout", JsonValue.of(120)));

        assertThat(binding.property(motion, "motion", "occupancyTimeout")).isEqualTo(JsonValue.of(120));
    }

    /** The binding's command for a desired state, executed by the device the fleet routes it to, its answer read back. */
    private static void roundTrip(Fleet fleet, BindingHarness binding, SimDevice device, String feature, JsonObject desired) {
        List<Outbound> commands = binding.desired(device, feature, desired);
        assertThat(commands).as("commands for %s %s", device, desired).isNotEmpty();
        for (Outbound c : commands) {
            SimDevice target = fleet.deviceFor(c.topic());
            assertThat(target).as("device of %s", c.topic()).isSameAs(device);
            List<Message> answer = device.command(c.topic(), c.payload());
            assertThat(answer).as("answer to %s %s", c.topic(), c.payloadText()).isNotEmpty();
            for (Message m : answer) {
                if (binding.dialect.claims(m.topic())) {
                    binding.feed(m);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt", "tasmota", "shelly", "homie", "homeassistant", "generic"})
    void commandsTheFirmwareWouldRefuseAreRefused(String dialect) {
        Fleet fleet = new Fleet(options(dialect, 6));
        SimDevice plug = fleet.devices().stream().filter(d -> d.kind() == Kind.PLUG).findFirst().orElseThrow();
        String topic = plug.commandTopics().get(0) + (dialect.equals("tasmota") ? "Power" : "");
        byte[] bad = (dialect.equals("tasmota") || dialect.equals("homie") || dialect.equals("homeassistant") ? "maybe" : "{\"state\":")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> plug.command(topic, bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(plug.on).as("state unchanged").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt", "tasmota", "shelly", "homie", "homeassistant", "sparkplug"})
    void goingOfflineIsReadAsOffline(String dialect) {
        SimulatorOptions o = options(dialect, 6);
        Fleet fleet = new Fleet(o);
        BindingHarness binding = BindingHarness.of(dialect, o);
        fleet.announcements().values().forEach(binding::feedAll);

        fleet.goodbyes().values().forEach(ms -> ms.stream().filter(m -> binding.dialect.claims(m.topic())).forEach(binding::feed));

        for (SimDevice d : fleet.devices()) {
            assertThat(binding.online).as("%s", d).containsEntry(binding.id(d), false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zigbee2mqtt"})
    void theBridgeListsEveryDeviceWithItsDefinition(String dialect) {
        SimulatorOptions o = options(dialect, 30);
        Fleet fleet = new Fleet(o);
        BindingHarness binding = BindingHarness.of(dialect, o);

        List<Decoded> out = binding.feed(fleet.bridge().devicesMessage());

        assertThat(out).hasSize(30).allMatch(d -> d instanceof Decoded.Report);
        for (SimDevice d : fleet.devices()) {
            assertThat(binding.models).containsEntry(binding.id(d), MODELS.get(d.kind()));
        }
        JsonValue list = Json.parse(fleet.bridge().devicesMessage().payload());
        assertThat(list.toString()).contains("\"type\":\"Coordinator\"", "\"interview_completed\":true", "\"exposes\"");
        assertThat(binding.property(fleet.devices().get(0), "device", "manufacturer")).isEqualTo(JsonString.of("Aqara"));
        assertThat(out.get(0)).extracting(r -> ((Decoded.Report) r).thingId()).isEqualTo(ThingId.of("mqtt", "z2m-living_room_climate-0000"));
    }
}
