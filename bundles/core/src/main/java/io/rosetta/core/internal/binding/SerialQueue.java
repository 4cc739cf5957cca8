package io.rosetta.core.internal.binding;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after another, in the order offered, on a shared executor; at most
 * {@code capacity} tasks wait. A drain runs a small batch and then gives the executor's thread
 * back, so that one busy device cannot starve the others.
 */
final class SerialQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);
    private static final int BATCH = 16;

    private final String name;
    private final Executor executor;
    private final int capacity;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    SerialQueue(String name, Executor executor, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.name = name;
        this.executor = executor;
        this.capacity = capacity;
    }

    /** Queues a task; {@code false} when the queue is full or the executor refused it. */
    boolean offer(Runnable task) {
        synchronized (this) {
            if (tasks.size() >= capacity) {
                return false;
            }
            tasks.add(task);
            if (scheduled) {
                return true;
            }
            scheduled = true;
        }
        return dispatch();
    }

    private boolean dispatch() {
        try {
            executor.execute(this::drain);
            return true;
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
                tasks.clear();
            }
            LOG.warn("Tasks of {} dropped: the scheduler refused them ({})", name, e.getMessage());
            return false;
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.warn("A task of {} failed", name, e);
            }
        }
        synchronized (this) {
            if (tasks.isEmpty()) {
                scheduled = false;
                return;
            }
        }
        dispatch();
    }

    /** Drops the tasks that wait; a task already running finishes. */
    synchronized void clear() {
        tasks.clear();
    }

    synchronized int size() {
        return tasks.size();
    }
}
