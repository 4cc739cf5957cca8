package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.config.BrokerConfig;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.binding.mqtt.internal.dialect.GenericJsonDialect;
import io.rosetta.binding.mqtt.internal.dialect.HomeAssistantDialect;
import io.rosetta.binding.mqtt.internal.dialect.HomieDialect;
import io.rosetta.binding.mqtt.internal.dialect.Outbound;
import io.rosetta.binding.mqtt.internal.dialect.ShellyGen2Dialect;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugDialect;
import io.rosetta.binding.mqtt.internal.dialect.TasmotaDialect;
import io.rosetta.binding.mqtt.internal.dialect.Zigbee2MqttDialect;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.binding.BackoffPolicy;
import io.rosetta.core.binding.ConnectionSupervisor;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.binding.SupervisedConnection;
import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.models.ModelRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker connection per factory configuration {@code io.rosetta.binding.mqtt.broker-<name>}: an MQTT client
 * ({@link MqttSession}: the Vert.x MQTT client, or Eclipse Paho) kept up by the core's {@link ConnectionSupervisor}
 * (the clients never reconnect by themselves), subscribed to what its dialects need, feeding an {@link InboundPipeline}.
 * When the connection is lost, the twins of its devices stay as they are for {@code offlineGrace} and
 * then go {@code OFFLINE/COMMUNICATION_ERROR}; they return {@code ONLINE} on reconnect, and desired
 * state that could not be sent meanwhile is sent then. New devices go through the discovery {@link Inbox}
 * unless their dialect is named in {@code autoApprove}.
 */
@Component(configurationPid = MqttBindingConstants.BROKER_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class MqttBrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBrokerConnection.class);

    /** The connection as its devices see it. */
    enum LinkState {
        /** The first attempt has not completed yet. */
        CONNECTING,
        CONNECTED,
        /** Lost, within the grace period: the twins keep their status. */
        LOST,
        /** Lost longer than the grace period (or never connected within it): the twins are OFFLINE. */
        DOWN,
        /** The configuration is invalid: nothing connects. */
        INVALID
    }

    private final MqttRuntime runtime;
    private final ScheduledExecutorService scheduler;
    private final String name;
    private final BrokerConfig config;
    private final List<Dialect> dialects;
    private final GenericJsonDialect generic;
    private final InboundPipeline pipeline;
    private final MqttSession session;
    private final SupervisedConnection connection;
    private final AtomicLong commandsSent = new AtomicLong();

    private volatile LinkState state;
    private volatile String problem = "";
    private ScheduledFuture<?> graceTimer;

    @Activate
    public MqttBrokerConnection(@Reference MqttRuntime runtime, @Reference ConnectionSupervisor supervisor, @Reference DeviceManager devices,
                                @Reference Inbox inbox, @Reference ModelRegistry models,
                                @Reference(target = "(rosetta.scheduler=core)") ScheduledExecutorService scheduler,
                                Map<String, Object> properties) {
        this.runtime = runtime;
        this.scheduler = scheduler;
        BrokerConfig c = null;
        List<Dialect> ds = new ArrayList<>();
        GenericJsonDialect g = null;
        String error = null;
        try {
            c = BrokerConfig.from(properties);
            PropertyMapper mapper = new PropertyMapper(models);
            for (String d : c.dialects()) {
                switch (d) {
                    case Zigbee2MqttDialect.ID -> ds.add(new Zigbee2MqttDialect(c.zigbee2mqttBaseTopic(), c.namespace(),
                            runtime.catalog().mappings(Zigbee2MqttDialect.ID), mapper));
                    case TasmotaDialect.ID -> ds.add(new TasmotaDialect(c.tasmotaFullTopic(), c.namespace(),
                            runtime.catalog().mappings(TasmotaDialect.ID), mapper));
                    case HomieDialect.ID -> ds.add(new HomieDialect(c.homieBaseTopic(), c.namespace(),
                            runtime.catalog().mappings(HomieDialect.ID), mapper));
                    case HomeAssistantDialect.ID -> ds.add(new HomeAssistantDialect(c.homeAssistantPrefix(), c.namespace(),
                            runtime.catalog().mappings(HomeAssistantDialect.ID), mapper, this::dialectSubscriptionsChanged));
                    case ShellyGen2Dialect.ID -> ds.add(new ShellyGen2Dialect(c.namespace(),
                            runtime.catalog().mappings(ShellyGen2Dialect.ID), mapper));
                    case SparkplugDialect.ID -> ds.add(new SparkplugDialect(c.sparkplugGroups(), c.namespace(),
                            runtime.catalog().mappings(SparkplugDialect.ID), mapper, c.sparkplugRebirthInterval(), System::currentTimeMillis,
                            this::publishQuietly, event -> runtime.countEvent(SparkplugDialect.ID, event)));
                    default -> {
                        g = new GenericJsonDialect(c.namespace(), mapper);
                        ds.add(g);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        this.name = c != null ? c.name() : BrokerConfig.name(properties);
        this.config = c;
        this.dialects = List.copyOf(ds);
        this.generic = g;
        if (error != null) {
            this.state = LinkState.INVALID;
            this.problem = error;
            this.pipeline = null;
            this.session = null;
            this.connection = null;
            LOG.error("MQTT broker configuration '{}' is invalid: {}; it does not connect", name, error);
            runtime.addBroker(this);
            return;
        }
        if (generic != null) {
            generic.setMappings(genericMappings());
        }
        this.state = LinkState.CONNECTING;
        this.problem = "not connected yet";
        BrokerConfig approving = c;
        this.pipeline = new InboundPipeline(name, dialects, runtime, devices, inbox, approving::autoApproves, scheduler, c.maxPayloadBytes(),
                c.queueCapacity());
        runtime.addBroker(this);
        BackoffPolicy base = supervisor.defaultBackoff();
        Duration initial = c.reconnectInitialDelay() != null ? c.reconnectInitialDelay() : base.initialDelay();
        Duration max = c.reconnectMaxDelay() != null ? c.reconnectMaxDelay() : base.maxDelay();
        BackoffPolicy policy = new BackoffPolicy(initial, max.compareTo(initial) < 0 ? initial : max, base.multiplier(),
                c.connectTimeout().plusSeconds(2));
        this.session = session(c, scheduler);
        this.connection = supervisor.supervise("mqtt " + name + " (" + c.url() + ")", session, this::statusChanged, policy);
        scheduleGrace();
        LOG.info("MQTT broker connection '{}' to {} as '{}' ({}), dialects {}, auto-approved {}{}", name, c.url(), c.clientId(),
                session instanceof PahoSession ? "Eclipse Paho" : "Vert.x MQTT client", c.dialects(), c.autoApprove(),
                c.sparkplugHostId() == null ? "" : ", Sparkplug primary host '" + c.sparkplugHostId() + "'");
    }

    /**
     * The configured client; Paho when the Vert.x MQTT client cannot be loaded (the bundle that embeds Vert.x, feature
     * rosetta-camel, is not installed: the binding imports it optionally).
     */
    private MqttSession session(BrokerConfig c, ScheduledExecutorService scheduler) {
        if (c.client() == BrokerConfig.Client.VERTX) {
            try {
                return new VertxMqttSession(c, scheduler, this::wantedSubscriptions, pipeline::offer, this::connectionLost);
            } catch (LinkageError e) {
                LOG.warn("MQTT broker connection '{}': the Vert.x MQTT client is not available ({}); using Eclipse Paho", c.name(), e.toString());
            }
        }
        return new PahoSession(c, scheduler, this::wantedSubscriptions, pipeline::offer, this::connectionLost);
    }

    String name() {
        return name;
    }

    LinkState linkState() {
        return state;
    }

    String lastProblem() {
        return problem;
    }

    boolean isConnected() {
        return state == LinkState.CONNECTED;
    }

    /** Whether the broker kept our session (subscriptions, queued QoS 1 messages) at the last connect. */
    boolean sessionResumed() {
        return session != null && session.sessionResumed();
    }

    long commandsSent() {
        return commandsSent.get();
    }

    int queued() {
        return pipeline == null ? 0 : pipeline.queued();
    }

    private List<GenericMappingConfig> genericMappings() {
        return runtime.genericMappings().stream().filter(m -> m.appliesTo(name)).toList();
    }

    // ---- status ----

    private void statusChanged(ConnectivityStatus status) {
        if (status.isOnline()) {
            synchronized (this) {
                cancelGrace();
                state = LinkState.CONNECTED;
                problem = "";
            }
            LOG.info("MQTT broker connection '{}' is up{}", name, sessionResumed() ? " (session resumed)" : "");
            execute(() -> {
                runtime.refreshDevicesOf(name);
                for (MqttDeviceHandler h : runtime.handlersOf(name)) {
                    h.resendDesired();
                }
            });
        } else {
            synchronized (this) {
                problem = status.description() == null ? "connection lost" : status.description();
                if (state == LinkState.CONNECTED) {
                    state = LinkState.LOST;
                    scheduleGrace();
                }
            }
        }
    }

    /** The client reports a loss on its own thread: the supervisor hears of it on the scheduler. */
    private void connectionLost(Throwable cause) {
        SupervisedConnection conn = connection;
        if (conn != null) {
            execute(() -> conn.connectionLost(cause));
        }
    }

    /** After the grace period without a connection the devices go OFFLINE. */
    private synchronized void scheduleGrace() {
        cancelGrace();
        try {
            graceTimer = scheduler.schedule(() -> {
                synchronized (this) {
                    if (state != LinkState.LOST && state != LinkState.CONNECTING) {
                        return;
                    }
                    state = LinkState.DOWN;
                }
                LOG.warn("MQTT broker connection '{}' is down for longer than {} ms: its devices are OFFLINE ({})", name,
                        config.offlineGrace().toMillis(), problem);
                runtime.refreshDevicesOf(name);
            }, config.offlineGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("MQTT broker connection '{}': the scheduler refused the grace timer: {}", name, e.getMessage());
        }
    }

    private void cancelGrace() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
    }

    private void execute(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("MQTT broker connection '{}': the scheduler refused work: {}", name, e.getMessage());
        }
    }

    // ---- commands ----

    /**
     * Sends a device's desired properties in its dialect. Returns {@code false} when they could not be
     * sent now (not connected, the client's in-flight window full); they are sent again after a reconnect.
     */
    boolean send(MqttDeviceHandler device, String featureId, JsonObject desired) {
        if (session == null || state != LinkState.CONNECTED) {
            return false;
        }
        Dialect dialect = null;
        for (Dialect d : dialects) {
            if (d.id().equals(device.dialect())) {
                dialect = d;
            }
        }
        if (dialect == null) {
            LOG.warn("MQTT device {} speaks '{}', which broker connection '{}' does not enable; desired state not sent",
                    device.thingId(), device.dialect(), name);
            return true;
        }
        List<Outbound> out;
        try {
            out = dialect.encode(device.ref(), featureId, desired);
        } catch (RejectedException e) {
            LOG.warn("Desired state of {} feature '{}' cannot be sent in {}: {}", device.thingId(), featureId, dialect.id(), e.getMessage());
            return true;
        }
        for (Outbound o : out) {
            try {
                session.publish(o.topic(), o.payload(), o.retained(), o.qos() == Outbound.CONNECTION_QOS ? config.qos() : o.qos());
                commandsSent.incrementAndGet();
                LOG.debug("Sent {} to {}", o.payloadText(), o.topic());
            } catch (MqttSession.NotSentException e) {
                LOG.debug("Command to {} not sent now ({}); it is sent again after a reconnect", o.topic(), e.getMessage());
                return false;
            }
        }
        return true;
    }

    /**
     * A message a dialect sends on its own (a Sparkplug rebirth request, while it reads a message of the
     * connection): sent when the client is connected, else dropped with a log line.
     */
    private void publishQuietly(Outbound o) {
        MqttSession s = session;
        if (s == null) {
            return;
        }
        try {
            s.publish(o.topic(), o.payload(), o.retained(), o.qos() == Outbound.CONNECTION_QOS ? config.qos() : o.qos());
            commandsSent.incrementAndGet();
        } catch (MqttSession.NotSentException e) {
            LOG.debug("MQTT broker connection '{}': {} not sent: {}", name, o.topic(), e.getMessage());
        }
    }

    // ---- subscriptions ----

    private List<String> wantedSubscriptions() {
        LinkedHashSet<String> filters = new LinkedHashSet<>();
        for (Dialect d : dialects) {
            filters.addAll(d.subscriptions());
        }
        return List.copyOf(filters);
    }

    /** A dialect learned topics from discovery (Home Assistant state topics): re-subscribe while connected, on the scheduler. */
    private void dialectSubscriptionsChanged() {
        scheduler.execute(() -> {
            if (state == LinkState.CONNECTED && session != null) {
                session.updateSubscriptions();
            }
        });
    }

    /** Generic mappings were added, changed or removed: re-subscribe while connected. */
    void genericMappingsChanged() {
        if (generic == null) {
            return;
        }
        generic.setMappings(genericMappings());
        if (state == LinkState.CONNECTED) {
            session.updateSubscriptions();
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            cancelGrace();
        }
        if (connection != null) {
            connection.close();
        }
        if (session != null) {
            session.close();
        }
        runtime.removeBroker(this);
        LOG.info("MQTT broker connection '{}' closed", name);
    }
}
