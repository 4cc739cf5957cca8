package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.config.BrokerConfig;
import io.rosetta.core.binding.Connector;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Eclipse Paho side of a broker connection ({@code client = paho}, and {@code ws://}, {@code wss://} URLs), as a
 * {@link io.rosetta.core.binding.Connector} for the core's supervisor.
 * Each attempt opens a fresh {@link MqttAsyncClient} with the configured client id (the broker keeps
 * the session under it when clean session is off), with Paho's automatic reconnect off, manual
 * acknowledgements, and keep-alive pings on the core's scheduler. The attempt completes once the
 * subscriptions are acknowledged. Paho's callbacks only hand work over: messages to the inbound sink,
 * losses and completions to the scheduler (the supervisor's follow-up, a disconnect, must not run on a
 * Paho thread).
 *
 * <p>As a Sparkplug primary host application ({@code sparkplugHostId}) the session announces itself: each
 * connection carries a will {@code spBv1.0/STATE/<host id>} {@code {"online":false,"timestamp":t}} (retained, QoS 1)
 * and, once subscribed, publishes {@code {"online":true,"timestamp":t}} there (the same {@code t}); a clean
 * disconnect publishes the offline state itself, because the broker drops the will then.
 *
 * <p>Plain {@code tcp://} connections read through a {@link BufferedSocketFactory} socket: Paho's receiver then takes
 * a burst of messages in one {@code read} instead of a {@code read} per header byte, one for the rest of each message
 * and an {@code ioctl} for each {@code available()}. {@code ssl://} connections use the configured TLS socket factory (or
 * the JVM's default) unchanged, whose record layer already reads whole records; WebSocket connections are left to
 * Paho's default socket factory.
 */
final class PahoSession implements MqttSession {

    private static final Logger LOG = LoggerFactory.getLogger(PahoSession.class);
    private static final int SUBSCRIBE_FAILED = 0x80;

    private final BrokerConfig config;
    private final ScheduledExecutorService scheduler;
    private final Supplier<List<String>> subscriptions;
    private final Sink sink;
    private final Consumer<Throwable> onLost;
    private final SubscribedFilters subscribed = new SubscribedFilters();
    private volatile MqttAsyncClient client;
    private volatile boolean sessionResumed;
    /** The timestamp of this connection's Sparkplug STATE birth and will. */
    private volatile long stateTimestamp;

    PahoSession(BrokerConfig config, ScheduledExecutorService scheduler, Supplier<List<String>> subscriptions, Sink sink,
                Consumer<Throwable> onLost) {
        this.config = config;
        this.scheduler = scheduler;
        this.subscriptions = subscriptions;
        this.sink = sink;
        this.onLost = onLost;
    }

    @Override
    public boolean sessionResumed() {
        return sessionResumed;
    }

    @Override
    public CompletionStage<?> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            MqttAsyncClient c = new MqttAsyncClient(config.url(), config.clientId(), new MemoryPersistence(),
                    new ScheduledExecutorPingSender(scheduler), null);
            c.setManualAcks(true);
            c.setCallback(new Callbacks(c));
            client = c;
            MqttConnectOptions options = options();
            if (config.sparkplugHostId() != null) {
                stateTimestamp = System.currentTimeMillis();
                options.setWill(stateTopic(), state(false), 1, true);
            }
            c.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    sessionResumed = token.getSessionPresent();
                    subscribe(c, done);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    completeLater(done, e);
                }
            });
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private void subscribe(MqttAsyncClient c, CompletableFuture<Void> done) {
        List<String> filters = subscriptions.get();
        if (filters.isEmpty()) {
            announce(c, done);
            return;
        }
        try {
            c.subscribe(filters.toArray(String[]::new), qos(filters.size()), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    for (int i = 0; granted != null && i < granted.length; i++) {
                        if (granted[i] == SUBSCRIBE_FAILED) {
                            completeLater(done, new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED));
                            return;
                        }
                    }
                    subscribed.replace(filters);
                    announce(c, done);
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

    /** As a Sparkplug primary host: publishes the STATE birth after the subscriptions, then reports the connection up. */
    private void announce(MqttAsyncClient c, CompletableFuture<Void> done) {
        if (config.sparkplugHostId() == null) {
            completeLater(done, null);
            return;
        }
        try {
            c.publish(stateTopic(), state(true), 1, true, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    completeLater(done, null);
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

    private String stateTopic() {
        return MqttSession.sparkplugStateTopic(config.sparkplugHostId());
    }

    private byte[] state(boolean online) {
        return MqttSession.sparkplugState(online, stateTimestamp);
    }

    private void completeLater(CompletableFuture<Void> done, Throwable failure) {
        Connector.completeOn(scheduler, done, failure);
    }

    @Override
    public void disconnect() {
        MqttAsyncClient c = client;
        client = null;
        subscribed.clear();
        if (c == null) {
            return;
        }
        if (config.sparkplugHostId() != null && c.isConnected()) {
            try {
                // a clean disconnect drops the will: say offline ourselves
                c.publish(stateTopic(), state(false), 1, true).waitForCompletion(1000);
            } catch (MqttException e) {
                LOG.debug("Sparkplug STATE offline not published: {}", e.getMessage());
            }
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000, true); // a DISCONNECT packet: the broker drops our will, keeps the session
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

    @Override
    public void publish(String topic, byte[] payload, boolean retained, int qos) throws NotSentException {
        MqttAsyncClient c = client;
        if (c == null) {
            throw new NotSentException("not connected");
        }
        try {
            c.publish(topic, payload, qos, retained);
        } catch (MqttException e) {
            throw new NotSentException(e.getMessage());
        }
    }

    @Override
    public void updateSubscriptions() {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        List<String> wanted = subscriptions.get();
        SubscribedFilters.Change change = subscribed.towards(wanted);
        List<String> add = change.add();
        List<String> remove = change.remove();
        try {
            if (!add.isEmpty()) {
                c.subscribe(add.toArray(String[]::new), qos(add.size()), null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        subscribed.added(add);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        LOG.warn("MQTT broker connection '{}' could not subscribe to {}: {}", config.name(), add, e.getMessage());
                    }
                });
            }
            if (!remove.isEmpty()) {
                c.unsubscribe(remove.toArray(String[]::new));
                subscribed.removed(remove);
            }
            LOG.info("MQTT broker connection '{}': subscriptions now {}", config.name(), wanted);
        } catch (MqttException e) {
            LOG.warn("MQTT broker connection '{}' could not change its subscriptions: {}", config.name(), e.getMessage());
        }
    }

    private int[] qos(int n) {
        int[] q = new int[n];
        Arrays.fill(q, config.qos());
        return q;
    }

    /**
     * The options of a connect attempt: no automatic reconnect, the configured session, keep-alive, in-flight window,
     * timeout and credentials, and the socket factory: the configured TLS one, else a {@link BufferedSocketFactory} for
     * {@code tcp://} URLs, else Paho's default.
     */
    MqttConnectOptions options() throws Exception {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(false);
        o.setCleanSession(config.cleanSession());
        o.setKeepAliveInterval((int) Math.max(1, config.keepAlive().toSeconds()));
        o.setMaxInflight(config.maxInflight());
        o.setConnectionTimeout((int) Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000));
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (config.username() != null) {
            o.setUserName(config.username());
        }
        if (config.password() != null) {
            o.setPassword(config.password().toCharArray());
        }
        SSLSocketFactory tls = TlsContexts.socketFactory(config);
        if (tls != null) {
            o.setSocketFactory(tls);
        } else if (plainTcp(config.url())) {
            o.setSocketFactory(new BufferedSocketFactory());
        }
        return o;
    }

    /** Whether {@code url} is a plain {@code tcp://} broker address (not TLS, not WebSocket). */
    static boolean plainTcp(String url) {
        return url.regionMatches(true, 0, "tcp://", 0, "tcp://".length());
    }

    /** Paho's callbacks: a message goes to the sink (which may map it on this thread, see {@link InboundPipeline}); the rest hand over. */
    private final class Callbacks implements MqttCallbackExtended {
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
            sink.offer(topic, message.getPayload(), qos, () -> {
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
            // commands are sent at QoS 1; the device's report confirms them
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // the connect listener reports the connection once its subscriptions are in place
        }
    }
}
