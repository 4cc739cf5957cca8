package io.rosetta.binding.mqtt.internal;

import static io.rosetta.binding.mqtt.internal.dialect.SparkplugEdgeNode.aliased;
import static io.rosetta.binding.mqtt.internal.dialect.SparkplugEdgeNode.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugDialect;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugEdgeNode;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery through the inbox against the real Mosquitto on 127.0.0.1:1883, with a group id, topic prefix
 * and client ids unique to the run: a Home Assistant discovery config and a Sparkplug NBIRTH/DBIRTH land in
 * the inbox (nothing is auto-approved), approving creates the twins, the following DDATA and states update
 * them. The binding acts as the Sparkplug primary host (STATE), answers a sequence gap with a rebirth
 * request, sends desired state as a DCMD, and takes the devices offline on the edge node's NDEATH.
 */
class InboxIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String URL = "tcp://127.0.0.1:1883";

    private final String run = "rosetta-inbox-" + UUID.randomUUID().toString().substring(0, 8);
    private final CoreWiring core = new CoreWiring();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> last = new java.util.concurrent.ConcurrentHashMap<>();
    private MqttBrokerConnection broker;
    private MqttClient edge;

    @AfterEach
    void close() throws Exception {
        if (broker != null) {
            broker.deactivate();
        }
        if (edge != null) {
            if (edge.isConnected()) {
                // leave no retained STATE of this run on the shared broker
                edge.publish("spBv1.0/STATE/" + run + "-host", new byte[0], 1, true);
                edge.disconnect();
            }
            edge.close();
        }
        core.close();
    }

    private static boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 1883), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Map<String, Object> brokerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "local");
        c.put("url", URL);
        c.put("clientId", run + "-binding");
        c.put("namespace", "it");
        c.put("dialects", "homeassistant, sparkplug");
        c.put("autoApprove", "none");
        c.put("homeAssistantPrefix", run + "/homeassistant");
        c.put("sparkplugGroups", run);
        c.put("sparkplugHostId", run + "-host");
        c.put("sparkplugRebirthInterval", "200ms");
        c.put("reconnectInitialDelay", "200ms");
        return c;
    }

    private void publish(String topic, byte[] payload) throws Exception {
        edge.publish(topic, payload, 0, false);
    }

    private void publish(String topic, String payload) throws Exception {
        edge.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private Thing awaitProperty(ThingId id, String feature, String property, JsonValue value) {
        return await().atMost(WAIT).until(() -> core.twin(id).orElse(null), t -> t != null && t.feature(feature)
                .map(f -> f.properties() != null && value.equals(f.properties().getOrNull(property))).orElse(false));
    }

    private InboxEntry awaitEntry(ThingId id) {
        return await().atMost(WAIT).until(() -> core.inbox.entry(id).orElse(null), e -> e != null);
    }

    private void awaitStatus(ThingId id, ConnectivityStatus.Status status) {
        await().atMost(WAIT).until(() -> core.twin(id).map(Thing::connectivity).orElse(null), s -> s != null && s.status() == status);
    }

    @Test
    void discoveredDevicesWaitForApprovalAndThenFollowTheirDevices() throws Exception {
        assumeTrue(reachable(), "Mosquitto on 127.0.0.1:1883");
        SparkplugEdgeNode node = new SparkplugEdgeNode(run, "edge-1", 0);
        edge = new MqttClient(URL, run + "-edge", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setWill(node.topic("NDEATH"), node.ndeath(), 0, false);
        edge.connect(o);
        edge.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                received.add(topic);
                last.put(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        edge.subscribe(new String[] {"spBv1.0/" + run + "/NCMD/#", "spBv1.0/" + run + "/DCMD/#", "spBv1.0/STATE/" + run + "-host"},
                new int[] {0, 0, 1});

        broker = core.broker(brokerConfig());
        await().atMost(WAIT).until(broker::isConnected);

        // the binding announced itself as the primary host application: STATE online, retained
        String state = "spBv1.0/STATE/" + run + "-host";
        await().atMost(WAIT).until(() -> last.containsKey(state));
        JsonObject online = Json.parseObject(new String(last.get(state), StandardCharsets.UTF_8));
        assertThat(online.getOrNull("online")).isEqualTo(JsonValue.of(true));

        // ---- Sparkplug: the births land in the inbox, nothing becomes a twin yet
        ThingId climate = ThingId.of("it", "spb-" + run + ":edge-1:th-1");
        ThingId plug = ThingId.of("it", "spb-" + run + ":edge-1:plug-1");
        publish(node.topic("NBIRTH"), node.nbirth());
        publish(node.topic("DBIRTH", "th-1"), node.message(true,
                metric("Sensors/Temperature", 1L, MetricDataType.Float, 70.7f, "°F"),
                metric("Sensors/Humidity", 2L, MetricDataType.Float, 40f, "%")));
        publish(node.topic("DBIRTH", "plug-1"), node.message(true, metric("Outputs/Relay", 1L, MetricDataType.Boolean, false, null),
                metric("Meter/Power", 2L, MetricDataType.Double, 0.0, "W")));
        assertThat(awaitEntry(climate).status()).isEqualTo(InboxEntry.Status.PENDING);
        assertThat(awaitEntry(plug).model()).isEqualTo("rosetta:smart-plug:1.0.0");
        publish(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 71.6f)));
        await().atMost(WAIT).until(() -> core.runtime.event(SparkplugDialect.ID, InboundPipeline.INBOX_HELD) >= 3);
        assertThat(core.twin(climate)).isEmpty();

        // approval creates the twin with what the device reported meanwhile (71.6 °F = 22 °C) ...
        core.inbox.approve(climate, "admin");
        Thing twin = awaitProperty(climate, "temperature", "value", JsonValue.of(22.0));
        assertThat(twin.definition()).contains("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(twin.attributes().orElseThrow().getValue(JsonPointer.of("/sparkplug/edgeNodeId"))).contains(JsonValue.of("edge-1"));
        awaitStatus(climate, ConnectivityStatus.Status.ONLINE);
        // ... and the following DDATA updates it
        publish(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 70.7f), aliased(2, MetricDataType.Float, 45f)));
        awaitProperty(climate, "temperature", "value", JsonValue.of(21.5));
        awaitProperty(climate, "humidity", "value", JsonValue.of(45));

        // desired state of the approved plug goes out as a DCMD; the device's DDATA makes the twin converge
        core.inbox.approve(plug, "admin");
        awaitProperty(plug, "switch", "on", JsonValue.of(false));
        core.registry.merge(plug, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonValue.of(true)), Precondition.none());
        String dcmd = node.topic("DCMD", "plug-1");
        await().atMost(WAIT).until(() -> last.containsKey(dcmd));
        Metric relay = SparkplugEdgeNode.decode(last.get(dcmd)).getMetrics().get(0);
        assertThat(relay.getName()).isEqualTo("Outputs/Relay");
        assertThat(relay.getValue()).isEqualTo(true);
        publish(node.topic("DDATA", "plug-1"), node.message(false, aliased(1, MetricDataType.Boolean, true)));
        awaitProperty(plug, "switch", "on", JsonValue.of(true));

        // lost messages: the gap is counted and a rebirth requested; the node answers with its births
        node.lose(2);
        publish(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 68f)));
        String ncmd = node.topic("NCMD");
        await().atMost(WAIT).until(() -> last.containsKey(ncmd));
        Metric rebirth = SparkplugEdgeNode.decode(last.get(ncmd)).getMetrics().get(0);
        assertThat(rebirth.getName()).isEqualTo(SparkplugDialect.REBIRTH);
        assertThat(rebirth.getValue()).isEqualTo(true);
        assertThat(core.runtime.event(SparkplugDialect.ID, SparkplugDialect.SEQUENCE_GAPS)).isEqualTo(1);
        publish(node.topic("NBIRTH"), node.nbirth());
        publish(node.topic("DBIRTH", "th-1"), node.message(true, metric("Sensors/Temperature", 1L, MetricDataType.Float, 69.8f, "°F"),
                metric("Sensors/Humidity", 2L, MetricDataType.Float, 45f, "%")));
        awaitProperty(climate, "temperature", "value", JsonValue.of(21.0));

        // garbage, an unknown alias: refused, counted, the twin unchanged, the connection carries on
        long revision = core.twin(climate).orElseThrow().revision();
        publish(node.topic("DDATA", "th-1"), new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
        publish(node.topic("DDATA", "th-1"), node.message(false, aliased(42, MetricDataType.Float, 1f)));
        await().atMost(WAIT).until(() -> core.runtime.rejected(SparkplugDialect.ID, RejectReason.UNKNOWN_ALIAS) == 1);
        assertThat(core.runtime.rejected(SparkplugDialect.ID, RejectReason.MALFORMED_PAYLOAD)).isEqualTo(1);
        assertThat(core.twin(climate).orElseThrow().revision()).isEqualTo(revision);

        // the edge node dies (its will): its devices go offline; its next birth brings them back
        publish(node.topic("NDEATH"), node.ndeath());
        awaitStatus(climate, ConnectivityStatus.Status.OFFLINE);
        awaitStatus(plug, ConnectivityStatus.Status.OFFLINE);
        publish(node.topic("NBIRTH"), node.nbirth());
        publish(node.topic("DBIRTH", "th-1"), node.message(true, metric("Sensors/Temperature", 1L, MetricDataType.Float, 69.8f, "°F"),
                metric("Sensors/Humidity", 2L, MetricDataType.Float, 45f, "%")));
        awaitStatus(climate, ConnectivityStatus.Status.ONLINE);

        // ---- Home Assistant: a discovery config lands in the inbox; approval creates the twin; states follow
        String prefix = run + "/homeassistant";
        String config = "{\"dev_cla\":\"temperature\",\"unit_of_meas\":\"°C\",\"name\":\"Temperature\",\"stat_t\":\"" + run + "/kitchen/temperature\","
                + "\"uniq_id\":\"" + run + "-t\",\"dev\":{\"ids\":\"esp-" + run + "\",\"name\":\"kitchen\",\"mf\":\"espressif\",\"mdl\":\"esp32dev\"}}";
        publish(prefix + "/sensor/kitchen/temperature/config", config);
        ThingId kitchen = ThingId.of("it", "ha-esp-" + run);
        InboxEntry entry = awaitEntry(kitchen);
        assertThat(entry.dialect()).isEqualTo("homeassistant");
        assertThat(entry.attributes().getOrNull("manufacturer")).isEqualTo(JsonValue.of("espressif"));
        // the state topic the config names is subscribed; its messages wait with the device
        await().atMost(WAIT).untilAsserted(() -> {
            publish(run + "/kitchen/temperature", "19.5");
            assertThat(core.runtime.event("homeassistant", InboundPipeline.INBOX_HELD)).isPositive();
        });
        assertThat(core.twin(kitchen)).isEmpty();
        core.inbox.approve(kitchen, "admin");
        awaitProperty(kitchen, "temperature", "value", JsonValue.of(19.5));
        publish(run + "/kitchen/temperature", "20.5");
        awaitProperty(kitchen, "temperature", "value", JsonValue.of(20.5));

        // a rejected device stays out
        ThingId spare = ThingId.of("it", "spb-" + run + ":edge-1:th-2");
        publish(node.topic("DBIRTH", "th-2"), node.message(true, metric("Temperature", 1L, MetricDataType.Float, 20f, "°C")));
        awaitEntry(spare);
        core.inbox.reject(spare, "admin");
        publish(node.topic("DDATA", "th-2"), node.message(false, aliased(1, MetricDataType.Float, 21f)));
        await().atMost(WAIT).until(() -> core.runtime.event(SparkplugDialect.ID, InboundPipeline.INBOX_SUPPRESSED) == 1);
        assertThat(core.twin(spare)).isEmpty();

        // closing the connection publishes the host's STATE offline itself (a clean disconnect drops the will)
        broker.deactivate();
        broker = null;
        await().atMost(WAIT).until(() -> Json.parseObject(new String(last.get(state), StandardCharsets.UTF_8)).getOrNull("online")
                .equals(JsonValue.of(false)));
    }
}
