package io.rosetta.benchmarks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.testing.MosquittoProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against a real Mosquitto that the test starts on a free port, watched by a plain MQTT client. */
class SimulatorBrokerTest {

    @TempDir
    Path dir;
    private MosquittoProcess broker;
    private Recorder recorder;
    private Simulator simulator;

    @BeforeEach
    void start() throws Exception {
        broker = new MosquittoProcess(dir, MosquittoProcess.ANONYMOUS_DEEP_QUEUES);
        broker.start();
        recorder = new Recorder(broker.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        recorder.close();
        broker.close();
    }

    private Simulator simulator(int devices, int rate, String... more) {
        List<String> args = new ArrayList<>(List.of("--broker", broker.url(), "--devices", Integer.toString(devices), "--rate",
                Integer.toString(rate), "--connections", "2", "--toggle-chance", "0", "--settle", "0", "--report", "0"));
        args.addAll(List.of(more));
        simulator = new Simulator(SimulatorOptions.parse(args.toArray(String[]::new)));
        return simulator;
    }

    @Test
    void announcementsFirstThenTelemetryAtTheGivenRateThenGoodbyes() throws Exception {
        Simulator sim = simulator(35, 400);
        int announcements = sim.fleet().announcements().values().stream().mapToInt(List::size).sum();

        sim.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.stats().telemetry() >= 800);
        Simulator.Stats s = sim.stats();

        // paced: never more than the rate allows (plus one burst of 20 ms), and on this machine not far below it
        assertThat((double) s.telemetry()).isLessThanOrEqualTo(400 * s.seconds() + 400 * 0.02 + 1);
        assertThat((double) s.telemetry()).isGreaterThan(400 * s.seconds() * 0.5);
        assertThat(s.errors()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.received.size() >= announcements + 800);

        // everything announced reached the broker before the first telemetry message
        List<Recorder.Received> all = List.copyOf(recorder.received);
        List<Recorder.Received> first = all.subList(0, announcements);
        Map<String, Integer> announced = new HashMap<>();
        sim.fleet().announcements().values().forEach(ms -> ms.forEach(m -> announced.merge(m.topic(), 1, Integer::sum)));
        Map<String, Integer> seen = new HashMap<>();
        first.forEach(r -> seen.merge(r.topic(), 1, Integer::sum));
        assertThat(seen).isEqualTo(announced);
        assertThat(recorder.received.stream().filter(r -> r.topic().startsWith("spBv1.0/")).findFirst().orElseThrow().topic())
                .isEqualTo("spBv1.0/rosetta-sim/NBIRTH/edge-01");

        sim.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.has("tele/tasmota_8C0000/LWT", "Offline")
                && recorder.has("homie/climate-0000/$state", "disconnected")
                && recorder.has("shellyplusht-a8032a100000/online", "false")
                && recorder.has("esp-climate-0000/status", "offline")
                && recorder.has("zigbee2mqtt/living_room/climate-0000/availability", "offline")
                && recorder.has("zigbee2mqtt/bridge/state", "offline")
                && recorder.received.stream().anyMatch(r -> r.topic().equals("spBv1.0/rosetta-sim/NDEATH/edge-01")));

        // every device reported (its next message's topic is one it published on; the simulator is closed, so asking is safe)
        List<Recorder.Received> telemetry = all.subList(announcements, all.size());
        for (SimDevice d : sim.devices()) {
            String topic = d.telemetry().topic();
            assertThat(telemetry).as("telemetry of %s", d).anyMatch(r -> r.topic().equals(topic)
                    || d instanceof HomieDevice && r.topic().startsWith("homie/" + ((HomieDevice) d).deviceId() + "/")
                    || d instanceof HomeAssistantDevice && r.topic().startsWith(((HomeAssistantDevice) d).node() + "/")
                    || d instanceof TasmotaDevice && r.topic().startsWith("tele/" + ((TasmotaDevice) d).topic() + "/"));
        }
    }

    @Test
    void commandsAreAnsweredWithTheNewStateOverTheBroker() throws Exception {
        Simulator sim = simulator(14, 50);
        sim.start();
        Map<String, SimDevice> plugs = new HashMap<>();
        sim.devices().stream().filter(d -> d.kind() == Kind.PLUG).forEach(d -> plugs.put(d.dialect(), d));
        assertThat(plugs).hasSize(7);

        recorder.publish("zigbee2mqtt/kitchen/plug-0001/set", "{\"state\":\"OFF\"}");
        recorder.publish("cmnd/tasmota_8C0001/Power", "OFF");
        recorder.publish("shellyplusplugs-a8032a100001/rpc", "{\"id\":7,\"src\":\"tester\",\"method\":\"Switch.Set\",\"params\":{\"id\":0,\"on\":false}}");
        recorder.publish("homie/plug-0001/relay/on/set", "false");
        recorder.publish("esp-plug-0001/switch/relay/command", "OFF");
        recorder.publish("acme/relay-0001/set", "{\"relay\":false}");
        SparkplugBPayload dcmd = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
                .addMetric(new Metric.MetricBuilder("Outputs/Relay", MetricDataType.Boolean, false).createMetric()).createPayload();
        recorder.publish("spBv1.0/rosetta-sim/DCMD/edge-01/plug-0001", new SparkplugBPayloadEncoder().getBytes(dcmd, false));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(recorder.has("zigbee2mqtt/kitchen/plug-0001", "\"state\":\"OFF\"")).isTrue();
            assertThat(recorder.has("stat/tasmota_8C0001/RESULT", "{\"POWER\":\"OFF\"}")).isTrue();
            assertThat(recorder.has("stat/tasmota_8C0001/POWER", "OFF")).isTrue();
            assertThat(recorder.has("tester/rpc", "\"result\":{\"was_on\":true}")).isTrue();
            assertThat(recorder.has("shellyplusplugs-a8032a100001/events/rpc", "\"output\":false")).isTrue();
            assertThat(recorder.has("homie/plug-0001/relay/on", "false")).isTrue();
            assertThat(recorder.has("esp-plug-0001/switch/relay/state", "OFF")).isTrue();
            assertThat(recorder.has("acme/relay-0001/meter", "\"relay\":false")).isTrue();
            assertThat(recorder.received.stream().filter(r -> r.topic().equals("spBv1.0/rosetta-sim/DDATA/edge-01/plug-0001"))
                    .map(r -> SparkplugDevice.decode(r.payload()))
                    .anyMatch(p -> p.getMetrics().stream().anyMatch(m -> Boolean.FALSE.equals(m.getValue())))).isTrue();
        });
        assertThat(sim.stats().commandsAnswered()).isEqualTo(7);
        for (SimDevice plug : plugs.values()) {
            assertThat(plug.on).as("%s", plug).isFalse();
        }

        recorder.publish("cmnd/tasmota_8C0001/Power", "MAYBE");
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.stats().commandsRefused() == 1);
        assertThat(sim.stats().lastProblem()).contains("MAYBE");
    }

    @Test
    void telemetryPausesAndResumesWithoutABurst() throws Exception {
        Simulator sim = simulator(14, 200);
        sim.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.stats().telemetry() > 100);

        sim.pause();
        long[] last = {-1};
        await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> {
            long now = sim.stats().telemetry();
            boolean still = now == last[0];
            last[0] = now;
            return still;
        });
        long frozen = sim.stats().telemetry();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> sim.stats().telemetry() == frozen);
        long lagged = sim.stats().lagged();

        sim.resume();
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.stats().telemetry() > frozen + 50);
        assertThat(sim.stats().lagged()).as("the pause is not made up for").isLessThanOrEqualTo(lagged + 10);
    }

    @Test
    void theBrokerPublishesTheLastWillsWhenConnectionsAreCut() throws Exception {
        Simulator sim = simulator(14, 50);
        sim.start();

        sim.kill();

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.has("zigbee2mqtt/bridge/state", "offline")
                && recorder.received.stream().anyMatch(r -> r.topic().equals("spBv1.0/rosetta-sim/NDEATH/edge-01")));
        simulator = null;
    }
}
