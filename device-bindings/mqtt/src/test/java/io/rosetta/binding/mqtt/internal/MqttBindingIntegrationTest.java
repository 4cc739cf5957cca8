package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.testing.MosquittoProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The binding's connection and dialect pipeline against a real Mosquitto: the one on 127.0.0.1:1883
 * (unique topic prefixes per run), and one the test starts on a free port and stops to see the
 * twins go OFFLINE and come back ONLINE without losing QoS 1 messages.
 */
class MqttBindingIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String run = "rosetta-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final CoreWiring core = new CoreWiring();
    private MqttBrokerConnection broker;
    private MqttClient device;

    @AfterEach
    void close() throws Exception {
        if (device != null && device.isConnected()) {
            try {
                device.disconnect();
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                // the connection may end between isConnected() and disconnect(): nothing left to close then
                if (e.getReasonCode() != org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_CLIENT_ALREADY_DISCONNECTED) {
                    throw e;
                }
            }
        }
        if (device != null) {
            device.close();
        }
        if (broker != null) {
            broker.deactivate();
        }
        core.close();
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Map<String, Object> brokerConfig(String url) {
        return brokerConfig(url, "vertx");
    }

    private Map<String, Object> brokerConfig(String url, String client) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "it");
        c.put("url", url);
        c.put("client", client);
        c.put("clientId", run + "-binding");
        c.put("namespace", "it");
        c.put("zigbee2mqttBaseTopic", run + "/zigbee2mqtt");
        c.put("tasmotaFullTopic", run + "/%prefix%/%topic%/");
        c.put("offlineGrace", "300ms");
        c.put("reconnectInitialDelay", "200ms");
        c.put("reconnectMaxDelay", "1s");
        c.put("maxPayloadBytes", "4096");
        c.put("sparkplugGroups", run); // the default dialects read Sparkplug too: only this run's group on a shared broker
        return c;
    }

    private MqttClient device(String url) throws Exception {
        MqttClient c = new MqttClient(url, run + "-device", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    private void publish(String topic, String payload) throws Exception {
        device.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private Thing awaitProperty(ThingId id, String feature, String property, JsonValue value) {
        return await().atMost(WAIT).until(() -> core.twin(id).orElse(null), t -> t != null && t.feature(feature)
                .map(f -> f.properties() != null && value.equals(f.properties().getOrNull(property))).orElse(false));
    }

    private void awaitStatus(ThingId id, ConnectivityStatus.Status status, ConnectivityStatus.Detail detail) {
        await().atMost(WAIT).until(() -> core.twin(id).map(Thing::connectivity).orElse(null),
                s -> s != null && s.status() == status && (detail == null || s.detail() == detail));
    }

    @ParameterizedTest(name = "client {0}")
    @ValueSource(strings = {"vertx", "paho"})
    void devicesOfEveryDialectBecomeTwinsAndDesiredStateReachesThem(String client) throws Exception {
        assumeTrue(reachable("127.0.0.1", 1883), "Mosquitto on 127.0.0.1:1883");
        String url = "tcp://127.0.0.1:1883";
        Map<String, Object> generic = new HashMap<>();
        generic.put("name", run);
        generic.put("topic", run + "/acme/+/data");
        generic.put("thingId", "acme:{2}");
        generic.put("model", "rosetta:temperature-humidity-sensor:1.0.0");
        generic.put("property.temperature.value", "/t [degF]");
        generic.put("property.humidity.value", "/h");
        core.runtime.putGenericMapping(GenericMappingConfig.from(generic));

        broker = core.broker(brokerConfig(url, client));
        await().atMost(WAIT).until(broker::isConnected);
        device = device(url);
        List<String> commands = new CopyOnWriteArrayList<>();
        device.subscribe(run + "/#", 1, (topic, m) -> {
            if (topic.endsWith("/set") || topic.contains("/cmnd/")) {
                commands.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
            }
        });

        publish(run + "/zigbee2mqtt/climate", "{\"battery\":97,\"humidity\":40,\"linkquality\":134,\"temperature\":21.5,\"voltage\":3025}");
        publish(run + "/tele/th16/SENSOR", "{\"Time\":\"2024-05-01T10:00:00\",\"AM2301\":{\"Temperature\":70.7,\"Humidity\":40.0},\"TempUnit\":\"F\"}");
        publish(run + "/acme/unit-1/data", "{\"t\":70.7,\"h\":40}");

        for (ThingId id : List.of(ThingId.of("it", "z2m-climate"), ThingId.of("it", "tasmota-th16"), ThingId.of("acme", "unit-1"))) {
            Thing t = awaitProperty(id, "temperature", "value", JsonValue.of(21.5));
            assertThat(t.definition()).contains("rosetta:temperature-humidity-sensor:1.0.0");
            assertThat(((io.rosetta.core.json.JsonNumber) t.feature("humidity").orElseThrow().properties().getOrNull("value")).doubleValue())
                    .isEqualTo(40.0);
            awaitStatus(id, ConnectivityStatus.Status.ONLINE, null);
        }

        // a plug: reported state, then a desired change goes out as a Zigbee2MQTT command
        ThingId plug = ThingId.of("it", "z2m-kettle");
        publish(run + "/zigbee2mqtt/kettle", "{\"state\":\"ON\",\"power\":56,\"linkquality\":120}");
        awaitProperty(plug, "switch", "on", JsonValue.of(true));
        core.registry.merge(plug, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonValue.of(false)), Precondition.none());
        await().atMost(WAIT).until(() -> commands.contains(run + "/zigbee2mqtt/kettle/set {\"state\":\"OFF\"}"));
        publish(run + "/zigbee2mqtt/kettle", "{\"state\":\"OFF\",\"power\":0,\"linkquality\":120}");
        awaitProperty(plug, "switch", "on", JsonValue.of(false));

        // a Tasmota relay: attached on its second STATE; desired on=true becomes cmnd/<topic>/Power ON
        ThingId relay = ThingId.of("it", "tasmota-basic");
        String state = "{\"Time\":\"2024-05-01T10:00:00\",\"Uptime\":\"0T00:20:22\",\"POWER\":\"OFF\",\"Wifi\":{\"RSSI\":42,\"Signal\":-79}}";
        publish(run + "/tele/basic/STATE", state);
        publish(run + "/tele/basic/STATE", state);
        awaitProperty(relay, "switch", "on", JsonValue.of(false));
        assertThat(core.twin(relay).orElseThrow().feature("device").orElseThrow().properties().getOrNull("signalStrength"))
                .isEqualTo(JsonValue.of(-79));
        core.registry.merge(relay, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonValue.of(true)), Precondition.none());
        await().atMost(WAIT).until(() -> commands.contains(run + "/cmnd/basic/Power ON"));
        publish(run + "/stat/basic/RESULT", "{\"POWER\":\"ON\"}");
        awaitProperty(relay, "switch", "on", JsonValue.of(true));

        // LWT and availability drive the device's status
        publish(run + "/tele/basic/LWT", "Offline");
        awaitStatus(relay, ConnectivityStatus.Status.OFFLINE, ConnectivityStatus.Detail.COMMUNICATION_ERROR);
        publish(run + "/tele/basic/LWT", "Online");
        awaitStatus(relay, ConnectivityStatus.Status.ONLINE, null);
        publish(run + "/zigbee2mqtt/climate/availability", "{\"state\":\"offline\"}");
        awaitStatus(ThingId.of("it", "z2m-climate"), ConnectivityStatus.Status.OFFLINE, ConnectivityStatus.Detail.COMMUNICATION_ERROR);

        // bad input: counted, the connection and the other devices carry on, the twin is unchanged
        long revision = core.twin(ThingId.of("it", "tasmota-th16")).orElseThrow().revision();
        publish(run + "/tele/th16/SENSOR", "{\"AM2301\":{\"Temperature\":");
        publish(run + "/tele/th16/SENSOR", "{\"AM2301\":{\"Temperature\":900,\"Humidity\":40.0},\"TempUnit\":\"C\"}");
        publish(run + "/tele/th16/SENSOR", "{\"AM2301\":{\"Temperature\":20,\"Humidity\":40.0},\"x\":\"" + "y".repeat(20_000) + "\"}");
        publish(run + "/zigbee2mqtt/climate", "{\"battery\":97,\"humidity\":41,\"temperature\":22.0}");
        awaitProperty(ThingId.of("it", "z2m-climate"), "temperature", "value", JsonValue.of(22.0));
        await().atMost(WAIT).until(() -> core.runtime.rejected("tasmota", RejectReason.OVERSIZED) == 1);
        assertThat(core.runtime.rejected("tasmota", RejectReason.MALFORMED_PAYLOAD)).isEqualTo(1);
        assertThat(core.runtime.rejected("tasmota", RejectReason.OUT_OF_RANGE)).isEqualTo(1);
        assertThat(core.twin(ThingId.of("it", "tasmota-th16")).orElseThrow().revision()).isEqualTo(revision);
        assertThat(broker.isConnected()).isTrue();

        // a generic mapping added while connected: the connection subscribes to it at once
        Map<String, Object> more = new HashMap<>(generic);
        more.put("name", run + "-b");
        more.put("topic", run + "/beta/+");
        more.put("thingId", "beta:{2}");
        core.runtime.putGenericMapping(GenericMappingConfig.from(more));
        await().atMost(WAIT).untilAsserted(() -> {
            publish(run + "/beta/b1", "{\"t\":50,\"h\":35}");
            assertThat(core.twin(ThingId.of("beta", "b1"))).isPresent();
        });
        awaitProperty(ThingId.of("beta", "b1"), "temperature", "value", JsonValue.of(10.0));
    }

    @ParameterizedTest(name = "client {0}")
    @ValueSource(strings = {"vertx", "paho"})
    void brokerDownTwinsOfflineThenOnlineWithoutLosingQos1Messages(String client, @TempDir Path dir) throws Exception {
        assumeTrue(MosquittoProcess.available(), "mosquitto is installed");
        try (MosquittoProcess mosquitto = MosquittoProcess.persistent(dir)) {
            mosquitto.start();
            broker = core.broker(brokerConfig(mosquitto.url(), client));
            await().atMost(WAIT).until(broker::isConnected);
            device = device(mosquitto.url());
            ThingId id = ThingId.of("it", "tasmota-cellar");
            publish(run + "/tele/cellar/SENSOR", "{\"AM2301\":{\"Temperature\":12.5,\"Humidity\":80.0},\"TempUnit\":\"C\"}");
            awaitProperty(id, "temperature", "value", JsonValue.of(12.5));
            awaitStatus(id, ConnectivityStatus.Status.ONLINE, null);

            // a plug, and a watcher with a persistent session that sees the commands sent to it
            ThingId plug = ThingId.of("it", "z2m-heater");
            publish(run + "/zigbee2mqtt/heater", "{\"state\":\"ON\",\"power\":1200}");
            awaitProperty(plug, "switch", "on", JsonValue.of(true));
            List<String> commands = new CopyOnWriteArrayList<>();
            MqttClient watcher = watcher(mosquitto.url(), commands);
            watcher.disconnect();
            watcher.close();
            device.disconnect();
            device.close();

            mosquitto.stop();
            awaitStatus(id, ConnectivityStatus.Status.OFFLINE, ConnectivityStatus.Detail.COMMUNICATION_ERROR);
            assertThat(core.twin(id).orElseThrow().connectivity().description()).contains("unreachable");
            // desired state while the broker is away: sent once the connection is back
            core.registry.merge(plug, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonValue.of(false)),
                    Precondition.none());

            // the broker returns with the binding's session; what devices publish before the binding is
            // back is queued there (QoS 1, clean session off) and must all arrive
            mosquitto.start();
            device = device(mosquitto.url());
            for (int i = 0; i < 50; i++) {
                publish(run + "/tele/cellar" + i + "/SENSOR",
                        "{\"AM2301\":{\"Temperature\":" + (10 + i / 10.0) + ",\"Humidity\":50.0},\"TempUnit\":\"C\"}");
            }
            awaitStatus(id, ConnectivityStatus.Status.ONLINE, null);
            assertThat(broker.sessionResumed()).as("the broker kept the binding's session across its restart").isTrue();
            for (int i = 0; i < 50; i++) {
                awaitProperty(ThingId.of("it", "tasmota-cellar" + i), "temperature", "value", JsonValue.of(10 + i / 10.0));
            }
            watcher = watcher(mosquitto.url(), commands);
            await().atMost(WAIT).until(() -> commands.contains(run + "/zigbee2mqtt/heater/set {\"state\":\"OFF\"}"));
            watcher.disconnect();
            watcher.close();
            assertThat(core.runtime.rejected()).isEmpty();
        }
    }

    @Test
    void shellyHomieAndHomeAssistantDevicesThroughARealBroker(@TempDir Path dir) throws Exception {
        assumeTrue(MosquittoProcess.available(), "mosquitto is installed");
        try (MosquittoProcess mosquitto = MosquittoProcess.persistent(dir)) {
            mosquitto.start();
            Map<String, Object> config = brokerConfig(mosquitto.url());
            config.put("dialects", "shelly, homie, homeassistant");
            config.put("homieBaseTopic", run + "/homie");
            config.put("homeAssistantPrefix", run + "/homeassistant");
            broker = core.broker(config);
            await().atMost(WAIT).until(broker::isConnected);
            device = device(mosquitto.url());
            List<String> commands = new CopyOnWriteArrayList<>();
            device.subscribe("+/rpc", 1, (topic, m) -> commands.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));

            // Shelly Gen2: a plug's status, then a desired change as a JSON-RPC request
            String shelly = "shellyplusplugs-" + run.substring(run.length() - 8);
            ThingId plug = ThingId.of("it", "shelly-" + shelly);
            publish(shelly + "/events/rpc", "{\"src\":\"" + shelly + "\",\"dst\":\"" + shelly + "/events\",\"method\":\"NotifyFullStatus\","
                    + "\"params\":{\"ts\":1690016154.52,\"switch:0\":{\"id\":0,\"output\":true,\"apower\":56.3,\"aenergy\":{\"total\":1514.153}}}}");
            awaitProperty(plug, "switch", "on", JsonValue.of(true));
            core.registry.merge(plug, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonValue.of(false)), Precondition.none());
            await().atMost(WAIT).until(() -> commands.stream().anyMatch(c -> c.startsWith(shelly + "/rpc ")
                    && c.contains("\"method\":\"Switch.Set\"") && c.contains("\"params\":{\"id\":0,\"on\":false}")));
            publish(shelly + "/online", "false");
            awaitStatus(plug, ConnectivityStatus.Status.OFFLINE, ConnectivityStatus.Detail.COMMUNICATION_ERROR);

            // Homie 4: retained description and values, published before and after
            String homie = run + "/homie/climate-hall";
            for (String[] m : new String[][] {{"$homie", "4.0.0"}, {"$nodes", "sensor"}, {"sensor/$properties", "temperature,humidity"},
                    {"sensor/temperature/$unit", "°C"}, {"sensor/temperature", "21.5"}, {"sensor/temperature/$datatype", "float"},
                    {"sensor/humidity/$unit", "%"}, {"sensor/humidity/$datatype", "float"}, {"$state", "ready"}}) {
                device.publish(homie + "/" + m[0], m[1].getBytes(StandardCharsets.UTF_8), 1, true);
            }
            ThingId hall = ThingId.of("it", "homie-climate-hall");
            awaitProperty(hall, "temperature", "value", JsonValue.of(21.5));
            publish(homie + "/sensor/humidity", "40.0");
            awaitProperty(hall, "humidity", "value", JsonValue.of(40.0));

            // Home Assistant discovery: the binding subscribes to the state topic the config names
            String state = run + "/esp/livingroom/sensor/temperature/state";
            device.publish(run + "/homeassistant/sensor/livingroom/temperature/config", ("{\"dev_cla\":\"temperature\",\"unit_of_meas\":\"°F\","
                    + "\"stat_t\":\"" + state + "\",\"uniq_id\":\"ESPsensortemperature\",\"dev\":{\"ids\":\"98f4ab123456\"}}")
                    .getBytes(StandardCharsets.UTF_8), 1, true);
            ThingId esp = ThingId.of("it", "ha-98f4ab123456");
            await().atMost(WAIT).untilAsserted(() -> {
                publish(state, "70.7");
                assertThat(core.twin(esp)).isPresent();
            });
            awaitProperty(esp, "temperature", "value", JsonValue.of(21.5));

            // bad input of each dialect is counted under its name and changes no twin
            publish(shelly + "/events/rpc", "{\"method\":\"NotifyStatus\",\"params\":{\"switch:0\":{\"output\":\"yes\"}}}");
            publish(homie + "/sensor/temperature", "warm");
            publish(state, "hot");
            await().atMost(WAIT).until(() -> core.runtime.rejected("shelly", RejectReason.WRONG_TYPE) == 1
                    && core.runtime.rejected("homie", RejectReason.WRONG_TYPE) == 1
                    && core.runtime.rejected("homeassistant", RejectReason.WRONG_TYPE) == 1);
            assertThat(core.twin(hall).orElseThrow().feature("temperature").orElseThrow().properties().getOrNull("value"))
                    .isEqualTo(JsonValue.of(21.5));
        }
    }

    @Test
    void severalBrokersAtOnceEachWithItsOwnDevices(@TempDir Path dir) throws Exception {
        assumeTrue(MosquittoProcess.available() && reachable("127.0.0.1", 1883), "mosquitto installed and running on 1883");
        try (MosquittoProcess own = MosquittoProcess.persistent(dir)) {
            own.start();
            broker = core.broker(brokerConfig("tcp://127.0.0.1:1883"));
            Map<String, Object> second = brokerConfig(own.url());
            second.put("name", "second");
            second.put("clientId", run + "-second");
            second.put("namespace", "second");
            MqttBrokerConnection other = core.broker(second);
            try {
                await().atMost(WAIT).until(() -> broker.isConnected() && other.isConnected());
                assertThat(core.runtime.brokers()).containsEntry("it", true).containsEntry("second", true);

                device = device("tcp://127.0.0.1:1883");
                publish(run + "/tele/shared/SENSOR", "{\"AM2301\":{\"Temperature\":20.5,\"Humidity\":45.0},\"TempUnit\":\"C\"}");
                try (MqttClient d2 = new MqttClient(own.url(), run + "-device2", new MemoryPersistence())) {
                    d2.connect();
                    d2.publish(run + "/tele/own/SENSOR", "{\"AM2301\":{\"Temperature\":19.5,\"Humidity\":46.0},\"TempUnit\":\"C\"}"
                            .getBytes(StandardCharsets.UTF_8), 1, false);
                    d2.disconnect();
                }
                ThingId shared = ThingId.of("it", "tasmota-shared");
                ThingId mine = ThingId.of("second", "tasmota-own");
                awaitProperty(shared, "temperature", "value", JsonValue.of(20.5));
                awaitProperty(mine, "temperature", "value", JsonValue.of(19.5));
                assertThat(core.devices.device(mine).orElseThrow().configuration().getOrNull("broker")).isEqualTo(JsonValue.of("second"));

                // one broker goes away: only its devices go OFFLINE
                own.stop();
                awaitStatus(mine, ConnectivityStatus.Status.OFFLINE, ConnectivityStatus.Detail.COMMUNICATION_ERROR);
                assertThat(core.twin(shared).orElseThrow().connectivity().status()).isEqualTo(ConnectivityStatus.Status.ONLINE);
                assertThat(broker.isConnected()).isTrue();
            } finally {
                other.deactivate();
            }
        }
    }

    /** A client with a persistent session subscribed to the Zigbee2MQTT commands: it gets what was sent while it was away. */
    private MqttClient watcher(String url, List<String> commands) throws Exception {
        MqttClient c = new MqttClient(url, run + "-watcher", new MemoryPersistence());
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                commands.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        c.connect(o);
        c.subscribe(run + "/zigbee2mqtt/+/set", 1);
        return c;
    }
}
