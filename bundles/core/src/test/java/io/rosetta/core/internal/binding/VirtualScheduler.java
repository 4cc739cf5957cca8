package io.rosetta.core.internal.binding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on a virtual clock: nothing runs until the test advances time, and then the due
 * tasks run on the test's thread in time order. Makes backoff sequences exact and tests instant.
 */
final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    /** Virtual nanoseconds since the start. */
    synchronized long nanoTime() {
        return now;
    }

    synchronized long millis() {
        return TimeUnit.NANOSECONDS.toMillis(now);
    }

    /** Runs the tasks due now (including those they schedule for now). */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock forward, running every task that falls due on the way. */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.time > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = Math.max(now, next.time);
            }
            next.fire();
        }
    }

    /** The delay until the earliest pending task, or {@code null} when none waits. */
    synchronized Duration nextDelay() {
        Task<?> next = queue.peek();
        return next == null ? null : Duration.ofNanos(next.time - now);
    }

    synchronized int pending() {
        return queue.size();
    }

    private synchronized <V> Task<V> add(Task<V> t) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        queue.add(t);
        return t;
    }

    private synchronized long at(long delay, TimeUnit unit) {
        return now + unit.toNanos(Math.max(0, delay));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command, null), at(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, at(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command, null), at(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command, null), at(initialDelay, unit), -unit.toNanos(delay)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private long time;
        private final long period;
        private final long seq;

        Task(Callable<V> callable, long time, long period) {
            super(callable);
            this.time = time;
            this.period = period;
            synchronized (VirtualScheduler.this) {
                this.seq = sequence++;
            }
        }

        void fire() {
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                synchronized (VirtualScheduler.this) {
                    time = period > 0 ? time + period : now - period;
                    if (!shutdown) {
                        queue.add(this);
                    }
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            boolean cancelled = super.cancel(mayInterrupt);
            synchronized (VirtualScheduler.this) {
                queue.remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (VirtualScheduler.this) {
                return unit.convert(time - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            int c = Long.compare(time, t.time);
            return c != 0 ? c : Long.compare(seq, t.seq);
        }
    }
}
