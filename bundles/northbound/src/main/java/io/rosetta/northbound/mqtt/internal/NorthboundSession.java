package io.rosetta.northbound.mqtt.internal;

import io.rosetta.core.binding.Connector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * The Eclipse Paho side of the northbound, as a {@link Connector} for the core's supervisor: each
 * attempt opens a fresh {@link MqttAsyncClient} (Paho's automatic reconnect off, manual
 * acknowledgements, keep-alive pings on the core's scheduler) and completes once the command
 * subscription is acknowledged. Paho's callbacks only hand work over.
 */
final class NorthboundSession implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(NorthboundSession.class);
    private static final int SUBSCRIBE_FAILED = 0x80;

    /** Where commands go: topic, payload, and the acknowledgement to run once the command was handled. */
    @FunctionalInterface
    interface Sink {
        void offer(String topic, byte[] payload, Runnable ack);
    }

    private final NorthboundSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Sink commands;
    private final Consumer<Throwable> onLost;
    private volatile MqttAsyncClient client;

    NorthboundSession(NorthboundSettings settings, ScheduledExecutorService scheduler, Sink commands, Consumer<Throwable> onLost) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.commands = commands;
        this.onLost = onLost;
    }

    @Override
    public CompletionStage<?> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            MqttAsyncClient c = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence(),
                    new ScheduledExecutorPingSender(scheduler), null);
            c.setManualAcks(true);
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
            c.subscribe(settings.topics().commandFilter(), settings.qos(), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    if (granted != null && granted.length > 0 && granted[0] == SUBSCRIBE_FAILED) {
                        completeLater(done, new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED));
                    } else {
                        completeLater(done, null);
                    }
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

    /** The current connection as the {@link Outbox} publishes to it. */
    Outbox.Wire wire() {
        MqttAsyncClient c = client;
        return (message, done) -> {
            if (c == null || !c.isConnected()) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
            }
            c.publish(message.topic(), message.payload(), settings.qos(), false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.completed(true, null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completed(false, e);
                }
            });
        };
    }

    private MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(false);
        o.setCleanSession(settings.cleanSession());
        o.setKeepAliveInterval((int) Math.max(1, settings.keepAlive().toSeconds()));
        o.setMaxInflight(settings.maxInflight());
        o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password().toCharArray());
        }
        return o;
    }

    /** Paho's callbacks: they only hand work over, never block. */
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
            int id = message.getId();
            int qos = message.getQos();
            commands.offer(topic, message.getPayload(), () -> {
                if (qos > 0) {
                    try {
                        owner.messageArrivedComplete(id, qos);
                    } catch (MqttException | RuntimeException e) {
                        LOG.trace("ack of message {} not sent: {}", id, e.getMessage());
                    }
                }
            });
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the publication's own listener reports it to the outbox
        }
    }
}
