package io.rosetta.northbound.mqtt.internal;


import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An application on the broker: subscribes to everything under a prefix and keeps what arrives, publishes commands. */
final class TestClient implements AutoCloseable {

    record Received(String topic, String text) {
        JsonObject json() {
            return Json.parseObject(text);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttClient client;

    TestClient(String url, String subscription) throws MqttException {
        this(url, subscription, "test-app-" + UUID.randomUUID(), true);
    }

    /** With {@code cleanSession} false the broker keeps the subscription and queues messages while the client is away. */
    TestClient(String url, String subscription, String clientId, boolean cleanSession) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(o);
        client.subscribe(subscription, 1);
    }

    void publish(String topic, String text) throws MqttException {
        client.publish(topic, text.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    Received await(Predicate<Received> which) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> received.stream().filter(which).findFirst().orElse(null), Objects::nonNull);
    }

    /** The response envelope with this correlation id on {@code topic}. */
    JsonObject response(String topic, String correlationId) {
        return await(r -> r.topic().equals(topic) && correlationId.equals(string(r.json(), "/headers/correlation-id"))).json();
    }

    static String string(JsonObject o, String pointer) {
        return o.getValue(JsonPointer.of(pointer)).map(v -> v instanceof JsonString s ? s.value() : Json.write(v)).orElse(null);
    }

    void awaitCount(String topic, int n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> on(topic).size() >= n);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
