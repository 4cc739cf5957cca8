package io.rosetta.binding.mqtt.internal;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.rosetta.binding.mqtt.internal.config.BrokerConfig;
import io.rosetta.core.binding.Connector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x MQTT client side of a broker connection ({@code client = vertx}, the default for {@code tcp://} and
 * {@code ssl://} URLs). The client reads, decodes (Netty's MQTT codec, straight from the socket's buffer) and hands a
 * message to the {@link Sink} on one event loop thread of the session's own Vert.x instance (one event loop, apart
 * from the HTTP server's): no packet is copied byte by byte and no second thread is woken per message, which makes
 * receiving about a third as expensive as with Paho (docs/BENCHMARKS.md).
 *
 * <p>Semantics as with {@link PahoSession}: a fresh client per attempt with the configured client id and clean-session
 * flag, manual acknowledgements (a QoS 1 message is acknowledged once the sink ran its {@code ack}), keep-alive
 * pings with a disconnect when the broker does not answer, the in-flight window {@code maxInflight}, TLS with the
 * configured trust and key stores and host name verification, the Sparkplug STATE will and birth, and a loss
 * reported to {@code onLost} (never reconnected here). A connection-level error (a packet that cannot be decoded)
 * closes the connection, so the supervisor reconnects instead of reading a stream whose framing is lost. Every
 * completion the supervisor hears of runs on the scheduler, never on the event loop.
 */
final class VertxMqttSession implements MqttSession {

    private static final Logger LOG = LoggerFactory.getLogger(VertxMqttSession.class);
    private static final int SUBSCRIBE_FAILED = 0x80;
    /**
     * MQTT's largest packet (the most a remaining length can say). Without a limit Netty's decoder stops at 8 092
     * bytes and discards the rest of the connection; oversized payloads are the binding's to refuse (maxPayloadBytes).
     */
    static final int MAX_PACKET = 268_435_455;
    private static final Runnable NO_ACK = () -> { };

    private final BrokerConfig config;
    private final Executor scheduler;
    private final Supplier<List<String>> subscriptions;
    private final Sink sink;
    private final Consumer<Throwable> onLost;
    private final String host;
    private final int port;
    private final boolean tls;
    private final Vertx vertx;
    private final SubscribedFilters subscribed = new SubscribedFilters();
    /** Acknowledgements by packet id, whichever comes first of the packet's write and the broker's answer creates the entry. */
    private final Map<Integer, CompletableFuture<List<Integer>>> subacks = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> pubacks = new ConcurrentHashMap<>();
    private volatile MqttClient client;
    private volatile boolean sessionResumed;
    /** The timestamp of this connection's Sparkplug STATE birth and will. */
    private volatile long stateTimestamp;

    VertxMqttSession(BrokerConfig config, Executor scheduler, Supplier<List<String>> subscriptions, Sink sink, Consumer<Throwable> onLost) {
        URI uri = URI.create(config.url());
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
            throw new IllegalArgumentException("the Vert.x MQTT client speaks MQTT over TCP and TLS only, not " + config.url());
        }
        this.config = config;
        this.scheduler = scheduler;
        this.subscriptions = subscriptions;
        this.sink = sink;
        this.onLost = onLost;
        this.host = uri.getHost();
        this.tls = "ssl".equals(scheme);
        this.port = uri.getPort() > 0 ? uri.getPort() : tls ? MqttClientOptions.DEFAULT_TSL_PORT : MqttClientOptions.DEFAULT_PORT;
        this.vertx = createVertx();
    }

    /**
     * One event loop (and one thread for Vert.x's own blocking work). Vert.x finds its service providers through the
     * context class loader: the bundle that embeds it.
     */
    private static Vertx createVertx() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Vertx.class.getClassLoader());
        try {
            return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public boolean sessionResumed() {
        return sessionResumed;
    }

    @Override
    public CompletionStage<?> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (config.sparkplugHostId() != null) {
                stateTimestamp = System.currentTimeMillis();
            }
            MqttClient c = MqttClient.create(vertx, options());
            subacks.clear();
            pubacks.clear();
            c.publishHandler(this::received);
            c.subscribeCompletionHandler(ack -> answer(subacks, ack.messageId()).complete(ack.grantedQoSLevels()));
            c.publishCompletionHandler(id -> answer(pubacks, id).complete(null));
            c.exceptionHandler(e -> {
                // a packet that cannot be decoded leaves the stream without framing: start over on a new connection
                LOG.warn("MQTT broker connection '{}': {}; reconnecting", config.name(), e.toString());
                c.disconnect();
            });
            c.closeHandler(v -> {
                IOException cause = new IOException("the broker closed the connection");
                if (!done.isDone()) {
                    completeLater(done, cause);
                } else if (client == c) {
                    onLost.accept(cause);
                }
            });
            client = c;
            c.connect(port, host, ar -> {
                if (client != c) {
                    // disconnected meanwhile (the attempt timed out): this client is no longer wanted
                    c.disconnect();
                    completeLater(done, new IOException("the attempt was abandoned"));
                } else if (ar.failed()) {
                    completeLater(done, ar.cause());
                } else {
                    sessionResumed = ar.result().isSessionPresent();
                    subscribe(c, done);
                }
            });
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The broker's answer to a packet: whichever comes first, the packet's write or the answer, creates the entry. */
    private static <T> CompletableFuture<T> answer(Map<Integer, CompletableFuture<T>> answers, int packetId) {
        return answers.computeIfAbsent(packetId, id -> new CompletableFuture<>());
    }

    /** Completes with the broker's answer to a packet once it is written; fails when it could not be written. */
    private static <T> CompletableFuture<T> answered(Future<Integer> sent, Map<Integer, CompletableFuture<T>> answers) {
        CompletableFuture<T> result = new CompletableFuture<>();
        sent.onComplete(written -> {
            if (written.failed()) {
                result.completeExceptionally(written.cause());
                return;
            }
            int id = written.result();
            answer(answers, id).whenComplete((value, e) -> {
                answers.remove(id);
                result.complete(value);
            });
        });
        return result;
    }

    /** On the event loop: hands the message to the sink; a QoS 1 or 2 message is acknowledged when the sink says so. */
    private void received(MqttPublishMessage m) {
        int qos = m.qosLevel().value();
        sink.offer(m.topicName(), m.payload().getBytes(), qos, qos == 0 ? NO_ACK : () -> {
            try {
                m.ack();
            } catch (RuntimeException e) {
                // the connection that brought it is gone: the broker delivers it again
                LOG.trace("ack of message {} not sent: {}", m.messageId(), e.getMessage());
            }
        });
    }

    private void subscribe(MqttClient c, CompletableFuture<Void> done) {
        List<String> filters = subscriptions.get();
        if (filters.isEmpty()) {
            announce(c, done);
            return;
        }
        subscribe(c, filters).whenComplete((ok, e) -> {
            if (e != null) {
                completeLater(done, e);
                return;
            }
            subscribed.replace(filters);
            announce(c, done);
        });
    }

    /** Subscribes at the configured QoS; completes once the broker granted every filter, fails when it refused one. */
    private CompletableFuture<Void> subscribe(MqttClient c, List<String> filters) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String f : filters) {
            topics.put(f, config.qos());
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        answered(c.subscribe(topics), subacks).whenComplete((granted, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else if (granted == null || granted.contains(SUBSCRIBE_FAILED)) {
                result.completeExceptionally(new IOException("the broker refused a subscription of " + filters + " (granted " + granted + ")"));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    /** As a Sparkplug primary host: publishes the STATE birth after the subscriptions, then reports the connection up. */
    private void announce(MqttClient c, CompletableFuture<Void> done) {
        if (config.sparkplugHostId() == null) {
            completeLater(done, null);
            return;
        }
        publishAcknowledged(c, MqttSession.sparkplugState(true, stateTimestamp)).whenComplete((v, e) -> completeLater(done, e));
    }

    /** Publishes the Sparkplug STATE (QoS 1, retained); completes at the broker's PUBACK. */
    private CompletableFuture<Void> publishAcknowledged(MqttClient c, byte[] state) {
        return answered(c.publish(MqttSession.sparkplugStateTopic(config.sparkplugHostId()), Buffer.buffer(state), MqttQoS.AT_LEAST_ONCE,
                false, true), pubacks);
    }

    private void completeLater(CompletableFuture<Void> done, Throwable failure) {
        Connector.completeOn(scheduler, done, failure);
    }

    /** On the supervisor's thread (never the event loop): waits up to a second each for the STATE offline and the DISCONNECT. */
    @Override
    public void disconnect() {
        MqttClient c = client;
        client = null;
        subscribed.clear();
        if (c == null) {
            return;
        }
        if (config.sparkplugHostId() != null && c.isConnected()) {
            try {
                // a clean disconnect drops the will: say offline ourselves
                publishAcknowledged(c, MqttSession.sparkplugState(false, stateTimestamp)).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Sparkplug STATE offline not published: {}", e.toString());
            }
        }
        try {
            // a DISCONNECT packet when connected (the broker drops our will, keeps the session); else the socket closes
            c.disconnect().toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.trace("disconnect: {}", e.toString());
        }
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained, int qos) throws NotSentException {
        MqttClient c = client;
        if (c == null || !c.isConnected()) {
            throw new NotSentException("not connected");
        }
        Future<Integer> sent;
        try {
            sent = c.publish(topic, Buffer.buffer(payload), MqttQoS.valueOf(qos), false, retained);
        } catch (RuntimeException e) {
            // the connection ended between the check and the write
            throw new NotSentException(String.valueOf(e.getMessage()));
        }
        if (sent.failed()) {
            throw new NotSentException(sent.cause().getMessage()); // the in-flight window is full
        }
    }

    @Override
    public void updateSubscriptions() {
        MqttClient c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        List<String> wanted = subscriptions.get();
        SubscribedFilters.Change change = subscribed.towards(wanted);
        List<String> add = change.add();
        List<String> remove = change.remove();
        if (!add.isEmpty()) {
            subscribe(c, add).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("MQTT broker connection '{}' could not subscribe to {}: {}", config.name(), add, e.getMessage());
                    return;
                }
                subscribed.added(add);
            });
        }
        if (!remove.isEmpty()) {
            c.unsubscribe(remove);
            subscribed.removed(remove);
        }
        LOG.info("MQTT broker connection '{}': subscriptions now {}", config.name(), wanted);
    }

    /** Stops the session's Vert.x (its event loop), waiting up to five seconds. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT broker connection '{}': Vert.x did not stop cleanly: {}", config.name(), e.toString());
        }
    }

    /** The client options of an attempt: the configured session, keep-alive, in-flight window, timeout, credentials, will and TLS. */
    MqttClientOptions options() throws Exception {
        MqttClientOptions o = new MqttClientOptions();
        o.setClientId(config.clientId());
        o.setAutoGeneratedClientId(false);
        o.setCleanSession(config.cleanSession());
        o.setKeepAliveInterval((int) Math.max(1, config.keepAlive().toSeconds()));
        o.setMaxInflightQueue(config.maxInflight());
        o.setAutoAck(false);
        o.setMaxMessageSize(MAX_PACKET);
        o.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        if (config.username() != null) {
            o.setUsername(config.username());
        }
        if (config.password() != null) {
            o.setPassword(config.password());
        }
        if (config.sparkplugHostId() != null) {
            o.setWillFlag(true);
            o.setWillTopic(MqttSession.sparkplugStateTopic(config.sparkplugHostId()));
            o.setWillMessageBytes(Buffer.buffer(MqttSession.sparkplugState(false, stateTimestamp)));
            o.setWillQoS(1);
            o.setWillRetain(true);
        }
        if (tls) {
            o.setSsl(true);
            o.setHostnameVerificationAlgorithm("HTTPS");
            TrustManagerFactory trust = TlsContexts.trustManagers(config);
            if (trust != null) {
                o.setTrustOptions(TrustOptions.wrap(trust));
            }
            KeyManagerFactory keys = TlsContexts.keyManagers(config);
            if (keys != null) {
                o.setKeyCertOptions(KeyCertOptions.wrap(keys));
            }
        }
        return o;
    }
}
