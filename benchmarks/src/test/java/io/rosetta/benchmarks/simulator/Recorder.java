package io.rosetta.benchmarks.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain MQTT client that records everything it receives on {@code #}, and publishes what a test sends. */
final class Recorder implements AutoCloseable {

    record Received(String topic, byte[] payload, boolean retained) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttClient client;

    Recorder(String url) throws MqttException {
        client = new MqttClient(url, "recorder-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        client.connect(o);
        client.subscribe("#", 1, (topic, message) -> received.add(new Received(topic, message.getPayload(), message.isRetained())));
    }

    void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    boolean has(String topic, String contains) {
        return received.stream().anyMatch(r -> r.topic().equals(topic) && r.text().contains(contains));
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
