package io.rosetta.api.internal.live;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinListener;
import io.rosetta.core.registry.TwinRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener of the live APIs to the registry's events: numbers each event (the SSE
 * {@code id}), keeps the most recent ones in a bounded ring so that an SSE client can resume with
 * {@code Last-Event-ID}, and hands each event to the delivery lanes. That is all the writing thread does (it
 * hears the event as a {@link TwinListener}, inside the write).
 *
 * <p>Each listening connection belongs to one lane (by its identity, so always the same one): a thread with a
 * bounded queue of events that asks each of its listeners whether it wants the event (its filter) and hands
 * it the wanted ones, in order. A listener only queues the event (its own bounded buffer), so a slow client
 * never holds a lane up. RQL filters are asked one lane at a time, each lane all of its listeners' in a row:
 * the search's filter index decides every filter for a twin with the first question and remembers that twin
 * only, so lanes asking about different twins at the same moment would make it decide all filters again for
 * each question. The rest (namespaces and ids, permissions, queueing, waking the connections) runs on the lanes
 * in parallel.
 *
 * <p>A lane with few listeners (at most {@value #DEFAULT_INLINE_LISTENERS}) and no event waiting is served by the
 * writing thread itself, in the same order and under the same rules, and no thread is woken for the event; with
 * several lanes, only while none of its listeners asks the filter index (the writer never waits for another lane's
 * filters). An event that finds earlier ones still waiting queues behind them.
 *
 * <p>A listener gets the events numbered after it started listening (or after its resume point), never an
 * earlier one still waiting in its lane's queue. When a lane's queue is full (the lane is
 * {@code live.delivery.queue} events behind) the registry is not held up: the event is not queued there and every
 * listener of that lane, which would miss it, is told that it fell behind (a connection is then disconnected
 * and counted as a slow client; an SSE client resumes from the ring with {@code Last-Event-ID}). Such overflows
 * are counted ({@link #laneOverflows()}) and logged.
 *
 * <p>Sequence numbers start at the start time in microseconds, so that an id from an earlier run of
 * the server is older than anything in the ring and is recognised as a gap.
 */
@Component(service = LiveEventLog.class, configurationPid = "io.rosetta.api")
public final class LiveEventLog implements TwinListener {

    /**
     * The default of {@code live.delivery.queue}: ten seconds of events at 5,000 updates per second, so that a lane
     * held up for a moment (a busy machine, the JIT at start) catches up instead of disconnecting its clients.
     */
    public static final int DEFAULT_LANE_QUEUE = 50_000;
    /** One delivery lane: more lanes cost more CPU than they save unless the filters can be asked in parallel (docs/BENCHMARKS.md). */
    public static final int DEFAULT_LANES = 1;
    /**
     * A lane with at most this many listeners and nothing waiting is served by the writing thread itself: for a few
     * clients, waking the lane's thread for every event costs more than asking their filters.
     */
    public static final int DEFAULT_INLINE_LISTENERS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(LiveEventLog.class);
    private static final Registration[] NONE = new Registration[0];
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Receives the events it wants, in order, on its delivery lane. */
    interface Listener {

        /** Whether the listener wants the event (its filter). Called on the lane: must be quick and must not block. */
        default boolean wants(LiveEvent event) {
            return true;
        }

        /**
         * Whether {@link #wants} asks the search's filter index (an RQL filter): then the lane asks it while the
         * other lanes wait to ask theirs (see {@link LiveEventLog}).
         */
        default boolean usesFilterIndex() {
            return false;
        }

        /** Receives an event it wants, after the ones before it; must not block. */
        void onEvent(LiveEvent event);

        /**
         * Its lane could not take an event (the lane was too far behind): the listener misses it and
         * every later one, and should end (disconnect, counted). Called once; must not block.
         */
        void fellBehind();
    }

    /** How a resume went: the events after the client's id, or a gap (events were lost: older than the ring, or unknown). */
    record Resume(List<LiveEvent> replay, boolean gap) {
    }

    /** A listener of a lane and the first sequence number it gets. */
    private record Registration(Listener listener, long from) {
    }

    private final LiveEvent[] ring;
    /**
     * The latest state of every twin, as the events told it (the registry's own immutable values, no copies):
     * a filtered client hears of a removed thing if the thing's last state passed its filter. Guarded by this.
     */
    private final Map<ThingId, Thing> latest = new HashMap<>();
    private final Lane[] lanes;
    /** Held by a lane while it asks its listeners' filters about one event. */
    private final Object filterGate = new Object();
    private final LongAdder laneOverflows = new LongAdder();
    private final int inlineListeners;
    private final long firstSeq;
    /** Next sequence number; guarded by this. */
    private long next;
    private final TwinRegistry registry;
    private volatile boolean closed;

    @Activate
    public LiveEventLog(@Reference TwinRegistry registry, LiveConfig config, LiveDeliveryConfig delivery) {
        this(registry, config.live_resume_events(), System.currentTimeMillis() * 1000, delivery.live_delivery_threads(),
                delivery.live_delivery_queue(), DEFAULT_INLINE_LISTENERS);
    }

    /** With the default delivery: {@value #DEFAULT_LANES} lane of {@value #DEFAULT_LANE_QUEUE} events. */
    public LiveEventLog(TwinRegistry registry, LiveConfig config) {
        this(registry, config.live_resume_events(), System.currentTimeMillis() * 1000, DEFAULT_LANES, DEFAULT_LANE_QUEUE,
                DEFAULT_INLINE_LISTENERS);
    }

    /**
     * @param lanes delivery threads, 0 for one per available processor
     * @param laneQueue events each lane may be behind
     * @param inlineListeners a lane with at most this many listeners and nothing waiting is served by the writing thread
     *                        (0: always by the lane's thread)
     */
    LiveEventLog(TwinRegistry registry, int capacity, long firstSeq, int lanes, int laneQueue, int inlineListeners) {
        if (capacity < 1) {
            throw new IllegalArgumentException("live.resume.events must be positive: " + capacity);
        }
        if (lanes < 0) {
            throw new IllegalArgumentException("live.delivery.threads must be 0 (one per processor) or more: " + lanes);
        }
        if (laneQueue < 1) {
            throw new IllegalArgumentException("live.delivery.queue must be positive: " + laneQueue);
        }
        this.registry = registry;
        this.inlineListeners = Math.max(0, inlineListeners);
        this.ring = new LiveEvent[capacity];
        this.firstSeq = firstSeq;
        this.next = firstSeq;
        int n = lanes == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : lanes;
        int instance = INSTANCES.incrementAndGet();
        this.lanes = new Lane[n];
        for (int i = 0; i < n; i++) {
            this.lanes[i] = new Lane(i, laneQueue, "rosetta-live-delivery-" + instance + "-" + i);
        }
        synchronized (this) {
            for (Thing t : registry.things()) {
                latest.put(t.thingId(), t);
            }
        }
        for (Lane lane : this.lanes) {
            lane.thread.start();
        }
        registry.listen(this);
    }

    @Override
    public void onEvent(TwinEvent event) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Thing removed = null;
            if (event.thing() != null) {
                latest.put(event.thingId(), event.thing());
            } else if (event.type() == TwinEvent.Type.DELETED) {
                removed = latest.remove(event.thingId());
            }
            LiveEvent e = new LiveEvent(next, event, removed);
            ring[(int) Math.floorMod(next, (long) ring.length)] = e;
            next++;
            for (Lane lane : lanes) {
                Registration[] rs = lane.registrations;
                if (rs.length == 0) {
                    continue; // a lane without listeners skips the event: whoever joins it later starts after it
                }
                if (lane.inFlight.get() == 0 && inline(rs)) {
                    lane.deliver(e);
                } else {
                    lane.inFlight.incrementAndGet();
                    if (!lane.queue.offer(e)) {
                        lane.inFlight.decrementAndGet();
                        lane.overflow(e);
                    }
                }
            }
        }
    }

    /** Adds a listener for the events from now on. */
    void listen(Listener listener) {
        synchronized (this) {
            laneOf(listener).add(new Registration(listener, next));
        }
    }

    /**
     * Resumes after {@code lastSeq}: hands {@code start} the events after it that the ring still
     * holds, then adds the listener for the events after those, both under the log's lock, so that no
     * event is lost or repeated in between (also none still waiting in a lane) and replayed events
     * come before live ones. When events after {@code lastSeq} are no longer held (or {@code lastSeq}
     * was never issued by this log), {@code start} gets a gap and the listener the events from now on.
     * {@code start} must not block.
     */
    void resume(long lastSeq, Listener listener, java.util.function.Consumer<Resume> start) {
        synchronized (this) {
            long oldest = Math.max(firstSeq, next - ring.length);
            if (lastSeq < oldest - 1 || lastSeq >= next) {
                start.accept(new Resume(List.of(), true));
            } else {
                List<LiveEvent> replay = new ArrayList<>((int) (next - 1 - lastSeq));
                for (long s = lastSeq + 1; s < next; s++) {
                    replay.add(ring[(int) Math.floorMod(s, (long) ring.length)]);
                }
                start.accept(new Resume(replay, false));
            }
            laneOf(listener).add(new Registration(listener, next));
        }
    }

    void remove(Listener listener) {
        synchronized (this) {
            laneOf(listener).remove(listener);
        }
    }

    int listeners() {
        synchronized (this) {
            int n = 0;
            for (Lane lane : lanes) {
                n += lane.registrations.length;
            }
            return n;
        }
    }

    /** The sequence number the next event gets. */
    synchronized long nextSeq() {
        return next;
    }

    /** How many times a lane's queue was full, so that its listeners were told they fell behind. */
    public long laneOverflows() {
        return laneOverflows.sum();
    }

    /** Events waiting in the lanes' queues or being delivered by their threads. */
    int waiting() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.inFlight.get();
        }
        return n;
    }

    /** How many delivery lanes (threads) the log has. */
    public int laneThreadCount() {
        return lanes.length;
    }

    /** The lanes' threads (for tests). */
    List<Thread> laneThreads() {
        List<Thread> threads = new ArrayList<>(lanes.length);
        for (Lane lane : lanes) {
            threads.add(lane.thread);
        }
        return threads;
    }

    /** Whether the writing thread serves a lane of these listeners itself (when nothing waits in the lane). */
    private boolean inline(Registration[] rs) {
        if (rs.length > inlineListeners) {
            return false;
        }
        if (lanes.length > 1) {
            for (Registration r : rs) {
                if (r.listener().usesFilterIndex()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The lane a listener always belongs to: the same one after a remove and listen again, so its events stay in order. */
    private Lane laneOf(Listener listener) {
        return lanes[Math.floorMod(System.identityHashCode(listener), lanes.length)];
    }

    /** Stops listening to the registry and stops the lanes' threads (waiting a few seconds for each). */
    @Deactivate
    public void close() {
        closed = true;
        registry.unlisten(this);
        synchronized (this) {
            latest.clear();
            for (Lane lane : lanes) {
                lane.registrations = NONE;
                lane.queue.clear();
            }
        }
        for (Lane lane : lanes) {
            lane.thread.interrupt();
        }
        for (Lane lane : lanes) {
            if (lane.thread != Thread.currentThread()) {
                try {
                    lane.thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (lane.thread.isAlive()) {
                    LOG.warn("The live delivery thread {} did not stop within 5 s", lane.thread.getName());
                }
            }
        }
    }

    /** One delivery thread with its bounded queue and its listeners. */
    private final class Lane implements Runnable {

        final int index;
        final ArrayBlockingQueue<LiveEvent> queue;
        /**
         * Events queued here and not yet delivered: raised under the log's lock before queueing, lowered by the lane's thread
         * after delivering. At 0 the lane's thread delivers nothing, so the writing thread (holding the log's lock) may.
         */
        final AtomicInteger inFlight = new AtomicInteger();
        final Thread thread;
        /** This lane's listeners; replaced (never changed in place) under the log's lock. */
        volatile Registration[] registrations = NONE;
        /** Which listeners want the event being delivered, and which ask the filter index; whoever delivers (see inFlight). */
        private boolean[] wanted = new boolean[16];
        private int[] indexed = new int[16];

        Lane(int index, int capacity, String name) {
            this.index = index;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        /** Under the log's lock. */
        void add(Registration r) {
            Registration[] old = registrations;
            Registration[] now = Arrays.copyOf(old, old.length + 1);
            now[old.length] = r;
            registrations = now;
        }

        /** Under the log's lock. */
        void remove(Listener listener) {
            Registration[] old = registrations;
            for (int i = 0; i < old.length; i++) {
                if (old[i].listener() == listener) {
                    Registration[] now = new Registration[old.length - 1];
                    System.arraycopy(old, 0, now, 0, i);
                    System.arraycopy(old, i + 1, now, i, old.length - i - 1);
                    registrations = now;
                    return;
                }
            }
        }

        /** The queue is full and {@code e} cannot wait here: every listener of the lane misses it. Under the log's lock. */
        void overflow(LiveEvent e) {
            Registration[] behind = registrations;
            registrations = NONE;
            laneOverflows.increment();
            LOG.warn("Live delivery thread {} is {} events behind at event {}: its {} clients are disconnected as too slow",
                    index, queue.size(), e.seq(), behind.length);
            for (Registration r : behind) {
                try {
                    r.listener().fellBehind();
                } catch (RuntimeException ex) {
                    LOG.warn("A live listener failed when told it fell behind: {}", ex.toString(), ex);
                }
            }
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    LiveEvent e = queue.take();
                    try {
                        deliver(e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                // closing
            }
        }

        private void deliver(LiveEvent e) {
            Registration[] rs = registrations;
            int n = rs.length;
            if (wanted.length < n) {
                wanted = new boolean[Math.max(n, 2 * wanted.length)];
                indexed = new int[wanted.length];
            }
            int gated = 0;
            for (int i = 0; i < n; i++) {
                Registration r = rs[i];
                wanted[i] = false;
                if (e.seq() < r.from()) {
                    continue;
                }
                if (r.listener().usesFilterIndex()) {
                    indexed[gated++] = i;
                } else {
                    wanted[i] = wants(r.listener(), e);
                }
            }
            if (gated > 0) {
                synchronized (filterGate) {
                    for (int k = 0; k < gated; k++) {
                        wanted[indexed[k]] = wants(rs[indexed[k]].listener(), e);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (wanted[i]) {
                    try {
                        rs[i].listener().onEvent(e);
                    } catch (RuntimeException ex) {
                        LOG.warn("A live listener failed on event {}: {}", e.seq(), ex.toString(), ex);
                    }
                }
            }
        }

        private boolean wants(Listener listener, LiveEvent e) {
            try {
                return listener.wants(e);
            } catch (RuntimeException ex) {
                LOG.warn("A live listener's filter failed on event {}: {}", e.seq(), ex.toString(), ex);
                return false;
            }
        }
    }
}
