package io.rosetta.core.internal.binding;

import io.rosetta.core.binding.BackoffPolicy;
import io.rosetta.core.binding.ConnectionListener;
import io.rosetta.core.binding.ConnectionSupervisor;
import io.rosetta.core.binding.Connector;
import io.rosetta.core.binding.SupervisedConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectionSupervisor} of the core: runs every supervised connection on the shared
 * scheduler and closes those still open when it stops.
 */
@Component(configurationPid = ConnectionSupervisorImpl.PID, service = ConnectionSupervisor.class)
@Designate(ocd = ConnectionSupervisorImpl.Config.class)
public final class ConnectionSupervisorImpl implements ConnectionSupervisor {

    public static final String PID = "io.rosetta.core.supervisor";
    static final String SCHEDULER = "(rosetta.scheduler=core)";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSupervisorImpl.class);

    @ObjectClassDefinition(name = "Rosetta connection supervisor", description = "Default reconnect backoff of binding connections")
    public @interface Config {
        @AttributeDefinition(description = "First reconnect delay ceiling in milliseconds")
        long initialDelayMillis() default 1000;

        @AttributeDefinition(description = "Largest reconnect delay in milliseconds")
        long maxDelayMillis() default 120_000;

        @AttributeDefinition(description = "Growth of the delay ceiling per failed attempt")
        double multiplier() default 2.0;

        @AttributeDefinition(description = "An attempt not done after this many milliseconds counts as failed")
        long connectTimeoutMillis() default 30_000;
    }

    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final BackoffPolicy defaultBackoff;
    private final Set<SupervisedConnectionImpl> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    @Activate
    public ConnectionSupervisorImpl(@Reference(target = SCHEDULER) ScheduledExecutorService scheduler, Config config) {
        this(scheduler, () -> ThreadLocalRandom.current().nextDouble(), policy(config));
    }

    ConnectionSupervisorImpl(ScheduledExecutorService scheduler, DoubleSupplier random, BackoffPolicy defaultBackoff) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.defaultBackoff = Objects.requireNonNull(defaultBackoff, "defaultBackoff");
    }

    static BackoffPolicy policy(Config c) {
        try {
            return new BackoffPolicy(Duration.ofMillis(c.initialDelayMillis()), Duration.ofMillis(c.maxDelayMillis()), c.multiplier(),
                    Duration.ofMillis(c.connectTimeoutMillis()));
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration {}: {}; using the defaults {}", PID, e.getMessage(), BackoffPolicy.defaults());
            return BackoffPolicy.defaults();
        }
    }

    @Override
    public SupervisedConnection supervise(String name, Connector connector, ConnectionListener listener) {
        return supervise(name, connector, listener, defaultBackoff);
    }

    @Override
    public SupervisedConnection supervise(String name, Connector connector, ConnectionListener listener, BackoffPolicy backoff) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(backoff, "backoff");
        if (stopped) {
            throw new IllegalStateException("The connection supervisor is stopped");
        }
        SupervisedConnectionImpl[] self = new SupervisedConnectionImpl[1];
        SupervisedConnectionImpl c = new SupervisedConnectionImpl(name, connector, listener, backoff, scheduler, random,
                () -> open.remove(self[0]));
        self[0] = c;
        open.add(c);
        try {
            c.start();
        } catch (RuntimeException e) { // the scheduler refused the first attempt
            open.remove(c);
            throw e;
        }
        return c;
    }

    @Override
    public BackoffPolicy defaultBackoff() {
        return defaultBackoff;
    }

    /** Connections supervised now. */
    public int openConnections() {
        return open.size();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        List<SupervisedConnectionImpl> left = List.copyOf(open);
        if (!left.isEmpty()) {
            LOG.info("Closing {} supervised connections that their bindings left open", left.size());
        }
        left.forEach(SupervisedConnectionImpl::close);
    }
}
