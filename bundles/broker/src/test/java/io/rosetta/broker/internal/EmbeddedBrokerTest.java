package io.rosetta.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    @TempDir
    Path data;

    @Test
    void servesMqttClientsAndKeepsRetainedMessagesAcrossRestarts() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = broker(config(port, true, data.toString()));
        try {
            assertThat(broker.state()).isEqualTo(EmbeddedBroker.State.RUNNING);
            assertThat(broker.port()).isEqualTo(port);

            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient subscriber = client(port, "sub");
            subscriber.subscribe("tele/+/SENSOR", 1, (topic, message) ->
                    received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
            // an empty client id, as mosquitto_pub sends it
            MqttClient publisher = client(port, "");
            publisher.publish("tele/th16/SENSOR", "{\"AM2301\":{\"Temperature\":21.5}}".getBytes(StandardCharsets.UTF_8), 1, false);
            publisher.publish("homie/lamp/$state", "ready".getBytes(StandardCharsets.UTF_8), 1, true);
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertThat(received).containsExactly("tele/th16/SENSOR {\"AM2301\":{\"Temperature\":21.5}}");
            disconnect(subscriber);
            disconnect(publisher);
        } finally {
            broker.close();
        }
        assertThat(broker.state()).isEqualTo(EmbeddedBroker.State.STOPPED);

        EmbeddedBroker again = broker(config(port, true, data.toString()));
        try {
            assertThat(again.state()).isEqualTo(EmbeddedBroker.State.RUNNING);
            List<String> retained = new CopyOnWriteArrayList<>();
            MqttClient late = client(port, "late");
            late.subscribe("homie/+/$state", 1, (topic, message) -> retained.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(5)).until(() -> !retained.isEmpty());
            assertThat(retained).containsExactly("ready");
            disconnect(late);
        } finally {
            again.close();
        }
    }

    @Test
    void aTakenPortLeavesTheComponentUpWithoutABroker() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedBroker broker = broker(config(other.getLocalPort(), false, ""));
            assertThat(broker.state()).isEqualTo(EmbeddedBroker.State.PORT_TAKEN);
            assertThat(broker.port()).isEqualTo(-1);
            broker.close();
            assertThat(broker.state()).isEqualTo(EmbeddedBroker.State.STOPPED);
        }
    }

    @Test
    void anInvalidConfigurationIsRefusedWithoutFailingTheComponent() throws Exception {
        EmbeddedBroker broker = broker(config(0, false, ""));
        assertThat(broker.state()).isEqualTo(EmbeddedBroker.State.FAILED);
        broker.close();
        assertThatThrownBy(() -> EmbeddedBrokerSettings.from(config(1883, true, "${karaf.data}/moquette"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("karaf.data");
        assertThat(EmbeddedBrokerSettings.from(config(1883, true, "${karaf.data}/moquette"), "/opt/rosetta/data").dataDir())
                .isEqualTo(Path.of("/opt/rosetta/data/moquette"));
        assertThat(EmbeddedBrokerSettings.from(config(1883, false, ""), null).moquetteProperties())
                .containsEntry("persistence_enabled", "false").containsEntry("telemetry_enabled", "false")
                .containsEntry("host", "127.0.0.1");
    }

    private static MqttClient client(int port, String id) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        c.connect(o);
        return c;
    }

    private static void disconnect(MqttClient c) throws MqttException {
        c.disconnect();
        c.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static BrokerConfig config(int port, boolean persistence, String dataDir) {
        TestConfig c = new TestConfig(port);
        if (persistence) {
            c.persistence(dataDir);
        }
        return c;
    }

    /** A broker as where the device registry is not installed. */
    static EmbeddedBroker broker(BrokerConfig config) {
        return new EmbeddedBroker(EmbeddedBroker.settings(config, java.util.Map.of()), false);
    }
}
