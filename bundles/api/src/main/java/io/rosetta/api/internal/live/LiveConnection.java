package io.rosetta.api.internal.live;

import io.rosetta.security.AccessLevel;
import io.rosetta.security.Permissions;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live client's own bounded event buffer between the {@link LiveEventLog}'s delivery lane (which only queues)
 * and the client's connection (written on its Vert.x context, as fast as the network takes it).
 * When the buffer is full (or the client's delivery lane is too far behind) the client has fallen too far behind:
 * it is disconnected, once, and counted, and gets no event after the first one it missed; other clients and the
 * registry never wait for it. Only events of things the client may read
 * (its {@link Permissions}, checked per event so that a change of the grants applies at once) reach it.
 */
abstract class LiveConnection implements LiveEventLog.Listener {

    /** Events written to the connection in one go at most. */
    private static final int BATCH = 64;

    private final Context context;
    private final int capacity;
    private final Permissions permissions;
    private final ConcurrentLinkedQueue<LiveEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile boolean closed;

    LiveConnection(Context context, int capacity, Permissions permissions) {
        this.context = context;
        this.capacity = capacity;
        this.permissions = permissions;
    }

    private boolean readable(LiveEvent event) {
        return event.event() == null || permissions.allows(event.event().thingId().namespace(), AccessLevel.READ);
    }

    /** Whether the client wants this event (its filter); called on a delivery lane, must be quick. */
    abstract boolean accepts(LiveEvent event);

    /** The client's selection (the one {@link #accepts} applies). */
    abstract LiveFilter filter();

    /** Writes events to the connection; on the context. */
    abstract void write(List<LiveEvent> batch);

    /** Whether the connection's own write queue is full (the network is slower than the events). */
    abstract boolean writeQueueFull();

    /** Calls {@code then} on the context once the connection's write queue has room again. */
    abstract void whenWritable(Runnable then);

    /** Disconnects a client that fell behind; on the context. */
    abstract void overflow();

    @Override
    public final boolean wants(LiveEvent event) {
        return !closed && !overflowed.get() && accepts(event);
    }

    @Override
    public final boolean usesFilterIndex() {
        return filter().rql() != null;
    }

    /** An event the client wants: queued if the client may read it (checked per event) and its buffer has room. */
    @Override
    public final void onEvent(LiveEvent event) {
        if (closed || overflowed.get() || !readable(event)) {
            return;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            fellBehind();
            return;
        }
        queue.add(event);
        schedule();
    }

    /** Disconnects the client, once: it missed an event (later ones are not queued, so it never sees a hole). */
    @Override
    public final void fellBehind() {
        if (overflowed.compareAndSet(false, true)) {
            context.runOnContext(v -> overflow());
        }
    }

    /** Queues events regardless of the bound (a replay: at most the log's ring, which is held anyway). */
    final void enqueueAll(List<LiveEvent> events) {
        for (LiveEvent e : events) {
            if (e.event() == null || readable(e) && accepts(e)) {
                queue.add(e);
                size.incrementAndGet();
            }
        }
        schedule();
    }

    final Context context() {
        return context;
    }

    final boolean isClosed() {
        return closed;
    }

    /** Stops writing; queued events are dropped. Idempotent. */
    void close() {
        closed = true;
        queue.clear();
        size.set(0);
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        scheduled.set(false);
        List<LiveEvent> batch = new ArrayList<>(BATCH);
        while (!closed) {
            if (writeQueueFull()) {
                whenWritable(this::drain);
                break;
            }
            LiveEvent e = queue.poll();
            if (e == null) {
                break;
            }
            size.decrementAndGet();
            batch.add(e);
            if (batch.size() == BATCH) {
                write(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty() && !closed) {
            write(batch);
        }
    }
}
