package io.rosetta.core.internal.scheduler;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ScheduledThreadPoolExecutor} with a bounded queue: a task submitted while
 * {@code maxQueued} tasks wait is refused with {@link RejectedExecutionException} and counted.
 * A periodic task that throws is logged and keeps its schedule (the JDK would silently cancel it);
 * a task given to {@link #execute} that throws is logged instead of vanishing.
 */
final class BoundedScheduledExecutor extends ScheduledThreadPoolExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedScheduledExecutor.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int maxQueued;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS - 1);
    private final AtomicLong unloggedFailures = new AtomicLong();

    BoundedScheduledExecutor(int threads, int maxQueued, String threadNamePrefix) {
        super(threads, new NamedDaemonThreadFactory(threadNamePrefix));
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1 but was " + maxQueued);
        }
        this.maxQueued = maxQueued;
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    long rejected() {
        return rejected.sum();
    }

    long failures() {
        return failures.sum();
    }

    int maxQueued() {
        return maxQueued;
    }

    private void admit() {
        if (getQueue().size() >= maxQueued) {
            rejected.increment();
            throw new RejectedExecutionException("the scheduler's queue is full (" + maxQueued + " tasks waiting)");
        }
    }

    @Override
    public void execute(Runnable command) {
        admit();
        super.schedule(logging(command, false), 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        admit();
        return super.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        admit();
        return super.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        admit();
        return super.scheduleAtFixedRate(logging(command, true), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        admit();
        return super.scheduleWithFixedDelay(logging(command, true), initialDelay, delay, unit);
    }

    private Runnable logging(Runnable command, boolean periodic) {
        if (command == null) {
            throw new NullPointerException("command");
        }
        return () -> {
            try {
                command.run();
            } catch (RuntimeException | Error e) {
                failures.increment();
                logFailure(command, periodic, e);
                if (e instanceof Error error && !(e instanceof AssertionError)) {
                    throw error;
                }
            }
        };
    }

    /** Logs a failing task with its stack trace at most once per interval; the others are counted. */
    private void logFailure(Runnable command, boolean periodic, Throwable e) {
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last > FAILURE_LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            long skipped = unloggedFailures.getAndSet(0);
            LOG.warn("A {} task failed{} ({} other failures not logged since the last message): {}", periodic ? "periodic" : "scheduled",
                    periodic ? " and keeps its schedule" : "", skipped, command, e);
        } else {
            unloggedFailures.incrementAndGet();
        }
    }

    /** Daemon threads named {@code <prefix>-<n>}. */
    static final class NamedDaemonThreadFactory implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger counter = new AtomicInteger();

        NamedDaemonThreadFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
