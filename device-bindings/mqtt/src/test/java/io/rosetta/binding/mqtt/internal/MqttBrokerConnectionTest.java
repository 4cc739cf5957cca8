package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.binding.Device;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.testing.MosquittoProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broker connections that cannot work, and what their devices' twins say about it. */
class MqttBrokerConnectionTest {

    private final CoreWiring core = new CoreWiring();

    @AfterEach
    void close() {
        core.close();
    }

    private Device device(String id, String broker) {
        return new Device(ThingId.of(id), "mqtt", "rosetta:smart-plug:1.0.0", JsonObject.newBuilder()
                .set("broker", JsonValue.of(broker)).set("dialect", JsonValue.of("tasmota")).set("address", JsonValue.of("plug"))
                .set("commandTopic", JsonValue.of("cmnd/plug/")).build());
    }

    private ConnectivityStatus awaitStatus(ThingId id, ConnectivityStatus.Detail detail) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(id).map(Thing::connectivity).orElse(null),
                s -> s != null && s.detail() == detail);
    }

    @Test
    void anInvalidConfigurationConnectsNothingAndItsDevicesSaySo() {
        MqttBrokerConnection broker = core.broker(Map.of("name", "bad", "url", "http://127.0.0.1:1883"));

        assertThat(broker.linkState()).isEqualTo(MqttBrokerConnection.LinkState.INVALID);
        assertThat(broker.lastProblem()).startsWith("url must be");
        assertThat(core.runtime.brokers()).containsEntry("bad", false);

        core.devices.attach(device("t:plug", "bad"));
        ConnectivityStatus s = awaitStatus(ThingId.of("t:plug"), ConnectivityStatus.Detail.CONFIGURATION_ERROR);
        assertThat(s.description()).contains("misconfigured").contains("url must be");
        broker.deactivate();
    }

    @Test
    void aDeviceOfAnUnknownBrokerIsAConfigurationError() {
        core.devices.attach(device("t:orphan", "nowhere"));
        ConnectivityStatus s = awaitStatus(ThingId.of("t:orphan"), ConnectivityStatus.Detail.CONFIGURATION_ERROR);
        assertThat(s.description()).contains("'nowhere' is not configured");
    }

    @Test
    void anUnreachableBrokerTakesItsDevicesOfflineAfterTheGracePeriod() throws Exception {
        int port = MosquittoProcess.freePort(); // nothing listens there
        MqttBrokerConnection broker = core.broker(Map.of("name", "gone", "url", "tcp://127.0.0.1:" + port, "offlineGrace", "200ms",
                "reconnectInitialDelay", "50ms", "reconnectMaxDelay", "200ms"));
        core.devices.attach(device("t:plug2", "gone"));

        ConnectivityStatus s = awaitStatus(ThingId.of("t:plug2"), ConnectivityStatus.Detail.COMMUNICATION_ERROR);
        assertThat(s.status()).isEqualTo(ConnectivityStatus.Status.OFFLINE);
        assertThat(s.description()).contains("MQTT broker 'gone' unreachable");
        assertThat(broker.isConnected()).isFalse();
        broker.deactivate();
    }
}
