package io.rosetta.dynsec.internal;

import io.rosetta.core.binding.Connector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administration connection to Mosquitto, as a {@link Connector} for the core's supervisor: each attempt opens a
 * fresh Paho client (its automatic reconnect off, keep-alive pings on the core's scheduler), logs in as the dynamic
 * security administrator and completes once the subscription to the plugin's responses is acknowledged. Paho's
 * callbacks only hand work to the scheduler.
 */
final class DynsecSession implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(DynsecSession.class);
    private static final int SUBSCRIBE_FAILED = 0x80;

    private final DynsecSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Consumer<byte[]> responses;
    private final Consumer<Throwable> onLost;
    private volatile MqttAsyncClient client;

    DynsecSession(DynsecSettings settings, ScheduledExecutorService scheduler, Consumer<byte[]> responses, Consumer<Throwable> onLost) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.responses = responses;
        this.onLost = onLost;
    }

    @Override
    public CompletionStage<?> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            MqttAsyncClient c = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence(),
                    new ScheduledExecutorPingSender(scheduler), null);
            c.setCallback(new Callbacks(c));
            client = c;
            c.connect(options(), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribe(c, done);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    completeLater(done, e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void subscribe(MqttAsyncClient c, CompletableFuture<Void> done) {
        try {
            c.subscribe(DynsecCommands.RESPONSE_TOPIC, 1, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    completeLater(done, granted != null && granted.length > 0 && granted[0] == SUBSCRIBE_FAILED
                            ? new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED) : null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    completeLater(done, e);
                }
            });
        } catch (MqttException e) {
            completeLater(done, e);
        }
    }

    private void completeLater(CompletableFuture<Void> done, Throwable failure) {
        Connector.completeOn(scheduler, done, failure);
    }

    /**
     * Publishes one message of commands (QoS 1); {@code false} when there is no connection or Paho refuses it at once
     * (the supervisor hears of a lost connection from Paho).
     */
    boolean publish(byte[] payload) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return false;
        }
        try {
            c.publish(DynsecCommands.TOPIC, payload, 1, false);
            return true;
        } catch (MqttException e) {
            LOG.debug("Commands to {} not sent: {}", settings.url(), e.getMessage());
            return false;
        }
    }

    @Override
    public void disconnect() {
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000, true);
            } else {
                c.disconnectForcibly(0, 1, false);
            }
        } catch (MqttException e) {
            LOG.trace("disconnect: {}", e.getMessage());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.trace("close: {}", e.getMessage());
        }
    }

    private MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(false);
        o.setCleanSession(true);
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) settings.connectTimeout().toSeconds());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setMaxInflight(Math.max(10, settings.window() / settings.batchSize() + 10));
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().toCharArray());
        }
        return o;
    }

    private final class Callbacks implements MqttCallback {
        private final MqttAsyncClient owner;

        Callbacks(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (client == owner) {
                onLost.accept(cause);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            try {
                scheduler.execute(() -> responses.accept(payload));
            } catch (RejectedExecutionException e) {
                LOG.debug("A dynamic security response was dropped: the scheduler is shutting down");
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the answers on the response topic tell what became of the commands
        }
    }
}
