package io.rosetta.benchmarks.e2e;

import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The ceiling: a bare Paho subscriber on the same broker that only receives the same stream and
 * recognizes each message (hash and time, {@link TopicTracker}); no parsing, no mapping, no twin.
 * {@link ClientReceiveCost} uses it with a handler of its own.
 */
public final class CeilingSubscriber implements MqttCallback, AutoCloseable {

    private final MqttAsyncClient client;
    private final BiConsumer<String, byte[]> handler;

    public CeilingSubscriber(String broker, int qos, TopicTracker tracker) throws MqttException {
        this(broker, qos, "ceiling-" + Long.toString(System.nanoTime() & 0xffffff, 36),
                (topic, payload) -> tracker.received(topic, payload, System.nanoTime()));
    }

    /** Subscribes to {@code #} as {@code clientId} (Paho's threads carry it in their names); each message goes to the handler. */
    CeilingSubscriber(String broker, int qos, String clientId, BiConsumer<String, byte[]> handler) throws MqttException {
        this.handler = handler;
        this.client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        o.setKeepAliveInterval(60);
        client.setCallback(this);
        try {
            client.connect(o).waitForCompletion(15_000);
            client.subscribe("#", qos).waitForCompletion(15_000);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        handler.accept(topic, message.getPayload());
    }

    @Override
    public void connectionLost(Throwable cause) {
        // counted as lost messages
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // subscriber only
    }

    @Override
    public void close() {
        try {
            client.disconnect(2_000).waitForCompletion(3_000);
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
