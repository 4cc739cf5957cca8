package io.rosetta.benchmarks.simulator;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT session of the simulator (Paho's asynchronous client): publishes within a window of
 * messages in flight (a permit per message, returned when Paho has written it, or for QoS 1 when the
 * broker acknowledged it), reconnects by itself, and counts what it sent and what failed.
 */
final class Connection implements MqttCallbackExtended {

    private final int index;
    private final MqttAsyncClient client;
    private final MqttConnectOptions connectOptions;
    private final Semaphore window;
    private final int windowSize;
    final LongAdder sent = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder failed = new LongAdder();
    private volatile BiConsumer<String, byte[]> onMessage = (t, p) -> { };
    private volatile IntConsumer onReconnect = i -> { };
    private volatile String lastError;

    private final IMqttActionListener completion = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            window.release();
            sent.increment();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            window.release();
            failed.increment();
            lastError = String.valueOf(e);
        }
    };

    Connection(int index, SimulatorOptions options, Message will) throws MqttException {
        this.index = index;
        this.windowSize = options.window();
        this.window = new Semaphore(windowSize);
        this.client = new MqttAsyncClient(options.broker(), options.clientId() + "-" + index, new MemoryPersistence());
        this.connectOptions = new MqttConnectOptions();
        connectOptions.setCleanSession(true);
        connectOptions.setKeepAliveInterval(30);
        connectOptions.setConnectionTimeout(10);
        connectOptions.setAutomaticReconnect(true);
        connectOptions.setMaxInflight(Math.max(10, windowSize));
        if (options.username() != null) {
            connectOptions.setUserName(options.username());
            connectOptions.setPassword(options.password() == null ? new char[0] : options.password().toCharArray());
        }
        if (will != null) {
            connectOptions.setWill(will.topic(), will.payload(), 1, will.retained());
        }
        client.setCallback(this);
    }

    int index() {
        return index;
    }

    void onMessage(BiConsumer<String, byte[]> handler) {
        this.onMessage = handler;
    }

    void onReconnect(IntConsumer handler) {
        this.onReconnect = handler;
    }

    void connect() throws MqttException {
        client.connect(connectOptions).waitForCompletion(15_000);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    void subscribe(String[] filters, int qos) throws MqttException {
        int[] q = new int[filters.length];
        java.util.Arrays.fill(q, qos);
        client.subscribe(filters, q).waitForCompletion(15_000);
    }

    /** Takes a permit of the window without waiting. */
    boolean tryAcquire() {
        return window.tryAcquire();
    }

    /** Takes a permit of the window, waiting up to 30 s. */
    boolean acquire() throws InterruptedException {
        return window.tryAcquire(30, TimeUnit.SECONDS);
    }

    /** Publishes with a permit already taken; the permit returns when Paho is done with the message. */
    void publish(Message m, int qos) {
        try {
            client.publish(m.topic(), m.payload(), qos, m.retained(), null, completion);
            bytes.add(m.payload().length);
        } catch (MqttException | RuntimeException e) {
            window.release();
            failed.increment();
            lastError = String.valueOf(e);
        }
    }

    /** Waits until every message handed to Paho is written (QoS 0) or acknowledged (QoS 1). */
    boolean drain(long timeoutMillis) throws InterruptedException {
        if (window.tryAcquire(windowSize, timeoutMillis, TimeUnit.MILLISECONDS)) {
            window.release(windowSize);
            return true;
        }
        return false;
    }

    String lastError() {
        return lastError;
    }

    void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }

    /** Disconnects without the DISCONNECT packet, so that the broker publishes the last will (as on a power cut). */
    void kill() {
        try {
            client.disconnectForcibly(0, 1_000, false);
            client.close(true);
        } catch (MqttException e) {
            // gone anyway
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        if (reconnect) {
            onReconnect.accept(index);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        lastError = "connection lost: " + cause;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        onMessage.accept(topic, message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // counted by the completion listener
    }
}
