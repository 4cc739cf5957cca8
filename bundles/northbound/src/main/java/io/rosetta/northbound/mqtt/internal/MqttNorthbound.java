package io.rosetta.northbound.mqtt.internal;

import io.rosetta.api.ditto.DittoCommands;
import io.rosetta.core.binding.BackoffPolicy;
import io.rosetta.core.binding.ConnectionSupervisor;
import io.rosetta.core.binding.SupervisedConnection;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.security.AccessControl;
import io.rosetta.security.Tokens;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT northbound ({@code etc/io.rosetta.northbound.mqtt.cfg}, off by default): one connection to
 * a broker, kept up by the core's {@link ConnectionSupervisor}, over which twin events are published as
 * Ditto-protocol envelopes ({@link EventForwarder}) and Ditto-protocol twin commands are accepted and
 * answered ({@link CommandChannel}). A change of the configuration restarts it.
 */
@Component(service = MqttNorthbound.class, configurationPid = NorthboundSettings.PID, immediate = true)
@Designate(ocd = NorthboundConfig.class)
public final class MqttNorthbound {

    private static final Logger LOG = LoggerFactory.getLogger(MqttNorthbound.class);

    /** What the northbound is doing. */
    public enum State {
        /** {@code enabled = false}. */
        OFF,
        /** The configuration is invalid: nothing connects ({@link #problem()} says why). */
        INVALID,
        CONNECTING,
        CONNECTED,
        /** Lost or not reachable: reconnecting with backoff; events queue meanwhile. */
        DOWN
    }

    private final NorthboundSettings settings;
    private final Outbox outbox;
    private final EventForwarder events;
    private final NorthboundSession session;
    private final SupervisedConnection connection;
    private volatile State state;
    private volatile String problem = "";

    @Activate
    public MqttNorthbound(@Reference TwinRegistry registry, @Reference ConnectionSupervisor supervisor, @Reference Tokens tokens,
            @Reference AccessControl access, @Reference(target = "(rosetta.scheduler=core)") ScheduledExecutorService scheduler,
            @Reference NorthboundMetrics metrics, NorthboundConfig config) {
        NorthboundSettings s;
        try {
            s = NorthboundSettings.of(config);
        } catch (IllegalArgumentException e) {
            this.settings = null;
            this.outbox = null;
            this.events = null;
            this.session = null;
            this.connection = null;
            this.state = State.INVALID;
            this.problem = e.getMessage();
            LOG.error("The MQTT northbound's configuration ({}.cfg) is invalid: {}; it does not connect", NorthboundSettings.PID, e.getMessage());
            return;
        }
        this.settings = s;
        if (!s.enabled()) {
            this.outbox = null;
            this.events = null;
            this.session = null;
            this.connection = null;
            this.state = State.OFF;
            LOG.info("The MQTT northbound is off (enabled = false in etc/{}.cfg)", NorthboundSettings.PID);
            return;
        }
        this.state = State.CONNECTING;
        this.problem = "not connected yet";
        this.outbox = new Outbox(s.queueCapacity(), s.commandQueueCapacity(), s.maxInflight(), scheduler, metrics);
        CommandChannel commands = new CommandChannel(s.topics(), new BearerTokens(tokens, access), new DittoCommands(registry), outbox,
                scheduler, metrics, s.commandQueueCapacity(), s.maxCommandBytes());
        this.session = new NorthboundSession(s, scheduler, commands::offer, this::lost);
        this.events = new EventForwarder(s, outbox);
        registry.subscribe(events);
        BackoffPolicy base = supervisor.defaultBackoff();
        this.connection = supervisor.supervise("mqtt northbound (" + s.url() + ")", session, this::statusChanged,
                base.withConnectTimeout(s.connectTimeout().plusSeconds(2)));
        LOG.info("MQTT northbound to {} as '{}': events on {}/<namespace>/<name>/things/twin/events/<action>, commands on {}",
                s.url(), s.clientId(), s.topics().prefix(), s.topics().commandFilter());
    }

    private void lost(Throwable cause) {
        SupervisedConnection c = connection;
        if (c != null) {
            c.connectionLost(cause);
        }
    }

    private void statusChanged(ConnectivityStatus status) {
        if (status.isOnline()) {
            state = State.CONNECTED;
            problem = "";
            outbox.up(session.wire());
            LOG.info("MQTT northbound connected to {}", settings.url());
        } else {
            outbox.down();
            boolean wasUp = state == State.CONNECTED;
            state = State.DOWN;
            problem = status.description() == null ? "connection lost" : status.description();
            if (wasUp) {
                LOG.warn("MQTT northbound lost {}: {}; reconnecting", settings.url(), problem);
            } else {
                LOG.debug("MQTT northbound could not connect to {}: {}", settings.url(), problem);
            }
        }
    }

    public State state() {
        return state;
    }

    /** Why the northbound is not connected ({@code ""} when it is). */
    public String problem() {
        return problem;
    }

    /** Events waiting for the broker. */
    public int queuedEvents() {
        return outbox == null ? 0 : outbox.queuedEvents();
    }

    @Deactivate
    public void close() {
        if (events != null) {
            events.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }
}
