package io.rosetta.api.internal.live;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one subscription of the live APIs to the registry's events: numbers each event (the SSE
 * {@code id}), keeps the most recent ones in a bounded ring so that an SSE client can resume with
 * {@code Last-Event-ID}, and hands each event to every listening connection. A listener only queues
 * the event (its own bounded buffer), so a slow client never holds this thread or the registry up.
 *
 * <p>Sequence numbers start at the start time in microseconds, so that an id from an earlier run of
 * the server is older than anything in the ring and is recognised as a gap.
 */
@Component(service = LiveEventLog.class, configurationPid = "io.rosetta.api")
public final class LiveEventLog implements Flow.Subscriber<TwinEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEventLog.class);

    /** Receives events in order; must not block. */
    interface Listener {
        void onEvent(LiveEvent event);
    }

    /** How a resume went: the events after the client's id, or a gap (events were lost: older than the ring, or unknown). */
    record Resume(List<LiveEvent> replay, boolean gap) {
    }

    private final LiveEvent[] ring;
    /**
     * The latest state of every twin, as the events told it (the registry's own immutable values, no copies):
     * a filtered client hears of a removed thing if the thing's last state passed its filter. Guarded by this.
     */
    private final Map<ThingId, Thing> latest = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final long firstSeq;
    /** Next sequence number; guarded by this. */
    private long next;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;

    @Activate
    public LiveEventLog(@Reference TwinRegistry registry, LiveConfig config) {
        this(registry, config.live_resume_events(), System.currentTimeMillis() * 1000);
    }

    LiveEventLog(TwinRegistry registry, int capacity, long firstSeq) {
        if (capacity < 1) {
            throw new IllegalArgumentException("live.resume.events must be positive: " + capacity);
        }
        this.ring = new LiveEvent[capacity];
        this.firstSeq = firstSeq;
        this.next = firstSeq;
        synchronized (this) {
            for (Thing t : registry.things()) {
                latest.put(t.thingId(), t);
            }
        }
        registry.subscribe(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (closed) {
            s.cancel();
            return;
        }
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(TwinEvent event) {
        synchronized (this) {
            Thing removed = null;
            if (event.thing() != null) {
                latest.put(event.thingId(), event.thing());
            } else if (event.type() == TwinEvent.Type.DELETED) {
                removed = latest.remove(event.thingId());
            }
            LiveEvent e = new LiveEvent(next, event, removed);
            ring[(int) Math.floorMod(next, (long) ring.length)] = e;
            next++;
            for (Listener l : listeners) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    LOG.warn("A live listener failed on event {}: {}", e.seq(), ex.toString(), ex);
                }
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        LOG.error("The registry's event stream failed; live clients get no more events", t);
    }

    @Override
    public void onComplete() {
        LOG.debug("The registry's event stream ended");
    }

    /** Adds a listener for the events from now on. */
    void listen(Listener listener) {
        synchronized (this) {
            listeners.add(listener);
        }
    }

    /**
     * Resumes after {@code lastSeq}: hands {@code start} the events after it that the ring still
     * holds, then adds the listener, both under the log's lock, so that no event is lost or repeated
     * in between and replayed events come before live ones. When events after {@code lastSeq} are no
     * longer held (or {@code lastSeq} was never issued by this log), {@code start} gets a gap and the
     * listener the events from now on. {@code start} must not block.
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
            listeners.add(listener);
        }
    }

    void remove(Listener listener) {
        listeners.remove(listener);
    }

    int listeners() {
        return listeners.size();
    }

    /** The sequence number the next event gets. */
    synchronized long nextSeq() {
        return next;
    }

    @Deactivate
    void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        listeners.clear();
        synchronized (this) {
            latest.clear();
        }
    }
}
