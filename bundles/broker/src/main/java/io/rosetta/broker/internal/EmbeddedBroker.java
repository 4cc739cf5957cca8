package io.rosetta.broker.internal;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.rosetta.broker.BrokerStatistics;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker: Eclipse Moquette on {@code 127.0.0.1:1883} unless configured otherwise.
 *
 * <p>A taken port is not an error of the server: another broker (a Mosquitto of the machine, a second
 * Rosetta) already answers there and the MQTT binding's default connection uses it. The broker then
 * logs one line, stays stopped, and the component (and the server's boot) carries on. A bad
 * configuration is logged the same way. Moquette's own threads (Netty's event loops, its session
 * loops) belong to the library.
 *
 * <p>Where the device registry is installed, devices log in with the MQTT credentials the registry gave them and may
 * use only their own topics; Rosetta's own connections use the service account; anonymous clients are refused unless
 * {@code allowAnonymous = true} ({@link BrokerSecurity}). The registry's service is followed dynamically: the broker
 * does not restart when it comes or goes.
 */
@Component(configurationPid = BrokerSettingsPid.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {EmbeddedBroker.class, BrokerStatistics.class}, immediate = true)
@Designate(ocd = BrokerConfig.class)
public final class EmbeddedBroker implements BrokerStatistics {

    static final String REGISTRY_API = "io.rosetta.devices.DeviceRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** What became of the broker. */
    public enum State {
        RUNNING,
        /** Another process holds the port. */
        PORT_TAKEN,
        /** The configuration is invalid or Moquette failed to start. */
        FAILED,
        STOPPED
    }

    private final Server server;
    private volatile State state;
    private final String address;
    private final int listenPort;
    private final BrokerSecurity security;

    @Activate
    public EmbeddedBroker(BrokerConfig config, Map<String, Object> properties) {
        this(settings(config, properties), registryInstalled());
    }

    /** A broker without authentication, as where the device registry is not installed. */
    EmbeddedBroker(EmbeddedBrokerSettings settings) {
        this(settings, false);
    }

    /**
     * @param registryInstalled whether devices are authenticated against the device registry (in Karaf: whether its API
     *                          package is wired to this bundle, i.e. the registry's bundle is installed)
     */
    EmbeddedBroker(EmbeddedBrokerSettings settings, boolean registryInstalled) {
        if (settings == null) {
            this.server = null;
            this.address = "?";
            this.listenPort = -1;
            this.state = State.FAILED;
            this.security = new BrokerSecurity(registryInstalled, false, null);
            return;
        }
        boolean anonymous = settings.anonymous().allowed(registryInstalled);
        this.security = new BrokerSecurity(registryInstalled, anonymous, settings.service());
        this.address = settings.address();
        this.listenPort = settings.port();
        IOException taken = probe(settings);
        if (taken != null && !(taken instanceof BindException)) {
            LOG.warn("Embedded MQTT broker not started: cannot listen on {}: {}", address, rootMessage(taken));
            this.server = null;
            this.state = State.FAILED;
            return;
        }
        if (taken != null) {
            LOG.warn("Embedded MQTT broker not started: {} is already in use by another process (another broker?); "
                    + "MQTT clients and the MQTT binding use that one. Set port in etc/io.rosetta.broker.cfg to run the embedded broker elsewhere.",
                    address);
            this.server = null;
            this.state = State.PORT_TAKEN;
            return;
        }
        Server s = new Server();
        State result;
        try {
            if (settings.dataDir() != null) {
                Files.createDirectories(settings.dataDir());
            }
            s.startServer(new MemoryConfig(settings.moquetteProperties(anonymous, registryInstalled)), List.of(security), null, security,
                    security);
            Server started = s;
            security.disconnectWith(started::disconnectClient);
            result = State.RUNNING;
            LOG.info("Embedded MQTT broker (Moquette {}) listening on {}, {}; {}", Server.MOQUETTE_VERSION, address,
                    settings.dataDir() == null ? "without persistence" : "persistent store in " + settings.dataDir(), describe(settings));
            if (registryInstalled && settings.service() == null && !anonymous) {
                LOG.warn("Embedded MQTT broker: no service account (servicePasswordHash in etc/io.rosetta.broker.cfg): only registry "
                        + "devices can log in; Rosetta's MQTT binding needs the service account's username and password in its connection");
            }
        } catch (IOException | RuntimeException e) {
            // a port taken between the check and the bind ends here too
            result = causedBy(e, BindException.class) ? State.PORT_TAKEN : State.FAILED;
            LOG.warn("Embedded MQTT broker not started on {}: {}", address, rootMessage(e));
            stopQuietly(s);
            s = null;
        }
        this.server = s;
        this.state = result;
    }

    private String describe(EmbeddedBrokerSettings settings) {
        StringBuilder b = new StringBuilder();
        if (security.authenticatesDevices()) {
            b.append("devices authenticated against the device registry, topics by ").append(settings.topics());
        } else {
            b.append("no device registry installed: clients are not authenticated");
        }
        b.append("; anonymous clients ").append(security.anonymous() ? "allowed" : "refused");
        if (settings.service() != null) {
            b.append("; service account '").append(settings.service().username()).append('\'');
        }
        return b.toString();
    }

    /** Whether the device registry's API can be seen from this bundle (its bundle is installed and wired to ours). */
    static boolean registryInstalled() {
        try {
            Class.forName(REGISTRY_API, false, EmbeddedBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Reference(name = "authority", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAuthority")
    void bindAuthority(DeviceAuthority authority) {
        security.setAuthority(authority);
    }

    void unbindAuthority(DeviceAuthority authority) {
        security.unsetAuthority(authority);
    }

    static EmbeddedBrokerSettings settings(BrokerConfig config, Map<String, Object> properties) {
        try {
            return EmbeddedBrokerSettings.from(config, properties, System.getProperty("karaf.data"));
        } catch (IllegalArgumentException e) {
            LOG.error("Embedded MQTT broker not started: invalid configuration io.rosetta.broker: {}", e.getMessage());
            return null;
        }
    }

    /** The state after activation. */
    public State state() {
        return state;
    }

    BrokerSecurity security() {
        return security;
    }

    @Override
    public boolean running() {
        return state == State.RUNNING;
    }

    @Override
    public boolean authenticatesDevices() {
        return security.authenticatesDevices();
    }

    @Override
    public boolean anonymousAllowed() {
        return security.anonymous();
    }

    @Override
    public long acceptedDevices() {
        return security.acceptedDevices();
    }

    @Override
    public long acceptedService() {
        return security.acceptedService();
    }

    @Override
    public Map<ConnectRefusal, Long> refused() {
        return new EnumMap<>(security.refused());
    }

    @Override
    public long refused(ConnectRefusal reason) {
        return security.refused(reason);
    }

    @Override
    public long deniedPublishes() {
        return security.deniedPublishes();
    }

    @Override
    public long deniedSubscriptions() {
        return security.deniedSubscriptions();
    }

    @Override
    public long revocationDisconnects() {
        return security.revocationDisconnects();
    }

    @Override
    public int deviceSessions() {
        return security.deviceSessions();
    }

    /**
     * The port Moquette listens on, or -1 when it is not running. The configured one: Moquette's own
     * {@code getPort()} answers 0 until its asynchronous bind has completed.
     */
    @Override
    public int port() {
        return server != null && state == State.RUNNING ? listenPort : -1;
    }

    @Deactivate
    public void close() {
        if (server != null && state == State.RUNNING) {
            stopQuietly(server);
            LOG.info("Embedded MQTT broker on {} stopped", address);
        }
        state = State.STOPPED;
    }

    /**
     * Binds the address the way Netty will (SO_REUSEADDR on, as Moquette sets it) and lets it go again:
     * {@code null} when it is free, the {@link BindException} when another process listens there, or
     * what else prevents listening (an unknown host). Checking first keeps Moquette from starting its
     * store and threads for nothing (its {@code stopServer} cannot clean up after a failed bind).
     */
    private static IOException probe(EmbeddedBrokerSettings settings) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(settings.host(), settings.port()));
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stopServer();
        } catch (RuntimeException e) {
            LOG.debug("Stopping Moquette failed", e);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
