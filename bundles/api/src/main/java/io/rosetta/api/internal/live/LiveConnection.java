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
 *
 * <p>Under a steady flow of events the writes are coalesced: each event would otherwise cost its own wake-up of the
 * event loop (the delivering thread hands it over) and its own socket write. With a linger, a drain that wrote
 * something leaves the connection "lingering": it arms a timer (set on the context, from the context, so that
 * arming it wakes nobody) for one linger later, and events arriving meanwhile are only queued; the timer's drain
 * writes them in one go, and lingers again if it wrote anything. A timer that finds nothing ends the lingering: the
 * connection has been quiet for a linger, and the next event is drained at once, as without a linger.
 */
abstract class LiveConnection implements LiveEventLog.Listener {

    /** Events written to the connection in one go at most. */
    private static final int BATCH = 64;

    private final Context context;
    private final int capacity;
    /** Milliseconds a drain that wrote holds the next one back; 0: every event is drained at once. */
    private final int lingerMillis;
    private final Permissions permissions;
    private final ConcurrentLinkedQueue<LiveEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    /**
     * A drain will come without being asked: one is queued on the context, or (with a linger) a linger timer is armed
     * or the drain waits for the connection's write queue. An event that finds it set is only queued.
     */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile boolean closed;
    /** The armed linger timer, {@code -1} when none; set on the context, cancelled by {@link #close()}. */
    private volatile long lingerTimer = -1;

    /**
     * @param lingerMillis how long after a drain that wrote events the next drain waits (events arriving meanwhile
     *                     join it); 0 drains every event at once
     */
    LiveConnection(Context context, int capacity, int lingerMillis, Permissions permissions) {
        this.context = context;
        this.capacity = capacity;
        this.lingerMillis = checkLinger(lingerMillis);
        this.permissions = permissions;
    }

    /** {@code lingerMillis} if it is a valid {@value LiveWriteConfig#LINGER_KEY}: 0 (off) or more. */
    static int checkLinger(int lingerMillis) {
        if (lingerMillis < 0) {
            throw new IllegalArgumentException(LiveWriteConfig.LINGER_KEY + " must be 0 (off) or more milliseconds: " + lingerMillis);
        }
        return lingerMillis;
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

    /** Whether a drain will come without being asked: one is queued, waits for the write queue, or a linger timer is armed. */
    final boolean drainPending() {
        return scheduled.get();
    }

    final boolean isClosed() {
        return closed;
    }

    /** Stops writing; queued events are dropped, an armed linger timer is cancelled. Idempotent. */
    void close() {
        closed = true;
        queue.clear();
        size.set(0);
        long timer = lingerTimer;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    /**
     * Writes what is queued, on the context. Without a linger the next event schedules the next drain, as soon as
     * this one starts. With a linger, {@link #scheduled} stays set until a drain finds nothing to write (and no timer
     * armed): a drain that wrote arms the timer of the next one, and one waiting for the write queue is resumed by
     * {@link #whenWritable}.
     */
    private void drain() {
        if (lingerMillis == 0) {
            scheduled.set(false);
        }
        boolean wrote = false;
        boolean waiting = false;
        List<LiveEvent> batch = new ArrayList<>(BATCH);
        while (!closed) {
            if (writeQueueFull()) {
                whenWritable(this::drain);
                waiting = true;
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
                wrote = true;
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty() && !closed) {
            write(batch);
            wrote = true;
        }
        if (lingerMillis == 0 || closed || waiting || lingerTimer >= 0) {
            return;
        }
        if (wrote) {
            // on the context: the timer is the context's, and arming it from its own event loop wakes nobody
            lingerTimer = context.owner().setTimer(lingerMillis, this::lingered);
            return;
        }
        // quiet for a linger: the next event is drained at once; one queued after the last poll found scheduled set
        scheduled.set(false);
        if (!queue.isEmpty()) {
            schedule();
        }
    }

    /** The linger timer, on the context (it was set there): the drain of the events that came since the last write. */
    private void lingered(long timer) {
        lingerTimer = -1;
        drain();
    }
}
