package io.rosetta.core.internal.binding;

import io.rosetta.core.binding.BackoffPolicy;
import io.rosetta.core.binding.ConnectionListener;
import io.rosetta.core.binding.Connector;
import io.rosetta.core.binding.SupervisedConnection;
import io.rosetta.core.model.ConnectivityStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised connection, a small state machine: {@code CONNECTING → CONNECTED → WAITING →
 * CONNECTING ...}, {@code STOPPED} from anywhere. Every attempt has a generation; completions,
 * timeouts and notifications of an older generation are ignored, so a late answer can never undo
 * a newer state. All waiting is a task on the scheduler; nothing loops or blocks.
 */
final class SupervisedConnectionImpl implements SupervisedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedConnectionImpl.class);

    private final String name;
    private final Connector connector;
    private final ConnectionListener listener;
    private final BackoffPolicy backoff;
    private final ScheduledExecutorService scheduler;
    private final DoubleSupplier random;
    private final Runnable onClose;

    private final Object lock = new Object();
    private final Object notifyLock = new Object();
    private State state = State.CONNECTING;
    private volatile long generation;
    private int failures;
    private Throwable lastFailure;
    private long nextDelayMillis;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> timeout;

    SupervisedConnectionImpl(String name, Connector connector, ConnectionListener listener, BackoffPolicy backoff,
                             ScheduledExecutorService scheduler, DoubleSupplier random, Runnable onClose) {
        this.name = name;
        this.connector = connector;
        this.listener = listener;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.random = random;
        this.onClose = onClose;
    }

    void start() {
        synchronized (lock) {
            pending = scheduler.schedule(this::attempt, 0, TimeUnit.MILLISECONDS);
        }
    }

    private void attempt() {
        long gen;
        synchronized (lock) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.CONNECTING;
            pending = null;
            gen = ++generation;
        }
        CompletionStage<?> stage;
        try {
            stage = connector.connect();
            if (stage == null) {
                throw new IllegalStateException("the connector returned no completion stage");
            }
        } catch (RuntimeException e) {
            failed(gen, e);
            return;
        }
        synchronized (lock) {
            if (state == State.CONNECTING && generation == gen) {
                long ms = backoff.connectTimeout().toMillis();
                timeout = schedule(() -> failed(gen, new TimeoutException("no connection after " + ms + " ms")), ms);
            }
        }
        stage.whenComplete((ok, error) -> {
            if (error == null) {
                succeeded(gen);
            } else {
                failed(gen, unwrap(error));
            }
        });
    }

    private void succeeded(long gen) {
        boolean stale;
        synchronized (lock) {
            stale = generation != gen || state != State.CONNECTING;
            if (!stale) {
                state = State.CONNECTED;
                failures = 0;
                lastFailure = null;
                cancel(timeout);
                timeout = null;
            } else if (state == State.CONNECTING) {
                return; // a newer attempt runs; leave it alone
            }
        }
        if (stale) {
            // the attempt was given up (timeout) or the supervision stopped: close what came up late
            LOG.debug("Connection '{}' came up after it was given up; closing it", name);
            disconnectQuietly();
            return;
        }
        LOG.info("Connection '{}' is up", name);
        notify(gen, ConnectivityStatus.ONLINE);
    }

    private void failed(long gen, Throwable cause) {
        synchronized (lock) {
            if (generation != gen || state != State.CONNECTING) {
                return;
            }
            cancel(timeout);
            timeout = null;
            state = State.WAITING;
        }
        retryLater(gen, cause, "failed");
    }

    @Override
    public void connectionLost(Throwable cause) {
        long gen;
        synchronized (lock) {
            if (state != State.CONNECTED) {
                return;
            }
            state = State.WAITING;
            gen = ++generation;
        }
        retryLater(gen, cause, "was lost");
    }

    /** In state WAITING for generation {@code gen}: close, report, and schedule the next attempt. */
    private void retryLater(long gen, Throwable cause, String what) {
        disconnectQuietly();
        String message = describe(cause);
        notify(gen, ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, message));
        synchronized (lock) {
            if (state != State.WAITING || generation != gen) {
                return;
            }
            long delay = backoff.delayMillis(failures, random.getAsDouble());
            failures++;
            lastFailure = cause;
            nextDelayMillis = delay;
            if (failures == 1) {
                LOG.warn("Connection '{}' {}: {}; next attempt in {} ms", name, what, message, delay);
            } else {
                LOG.debug("Connection '{}' {} ({} failures in a row): {}; next attempt in {} ms", name, what, failures, message, delay);
            }
            pending = schedule(this::attempt, delay);
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the scheduler is stopping (or full): nothing more can happen for this connection
            LOG.warn("Connection '{}': the scheduler refused its next step ({}); supervision ends", name, e.getMessage());
            state = State.STOPPED;
            return null;
        }
    }

    private void notify(long gen, ConnectivityStatus status) {
        synchronized (notifyLock) {
            if (generation != gen || state() == State.STOPPED) {
                return;
            }
            try {
                listener.statusChanged(status);
            } catch (RuntimeException e) {
                LOG.warn("The listener of connection '{}' failed on {}", name, status, e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            generation++;
            cancel(pending);
            cancel(timeout);
            pending = null;
            timeout = null;
        }
        disconnectQuietly();
        onClose.run();
        LOG.debug("Connection '{}' is no longer supervised", name);
    }

    private void disconnectQuietly() {
        try {
            connector.disconnect();
        } catch (RuntimeException e) {
            LOG.debug("Connection '{}': disconnect failed: {}", name, e.toString());
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public int failures() {
        synchronized (lock) {
            return failures;
        }
    }

    @Override
    public Optional<Throwable> lastFailure() {
        synchronized (lock) {
            return state == State.CONNECTED ? Optional.empty() : Optional.ofNullable(lastFailure);
        }
    }

    @Override
    public Optional<Duration> nextAttemptIn() {
        synchronized (lock) {
            if (state != State.WAITING || pending == null) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis(Math.max(0, pending.getDelay(TimeUnit.MILLISECONDS))));
        }
    }

    /** The delay drawn for the pending attempt (for tests and diagnostics). */
    long lastDelayMillis() {
        synchronized (lock) {
            return nextDelayMillis;
        }
    }

    @Override
    public String toString() {
        return "SupervisedConnection[" + name + ", " + state() + "]";
    }
}
