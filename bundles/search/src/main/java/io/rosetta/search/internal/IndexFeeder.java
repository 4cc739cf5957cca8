package io.rosetta.search.internal;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinRegistry;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link SearchIndex} equal to the registry: subscribes to the event stream first, then
 * loads every twin, then applies events. An event is applied as it is when it is the direct
 * successor of the indexed revision; otherwise (a revision was skipped because the registry dropped
 * events for this subscriber, or the event is older than what a re-read already installed) the twin
 * is re-read from the registry, which is the truth. An event that was dropped and never followed by
 * another one for its thing is caught by {@link #reconcileIfDropped}: when the registry's count of
 * dropped events grows, every twin's revision is compared with the registry's.
 */
final class IndexFeeder implements Flow.Subscriber<TwinEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(IndexFeeder.class);

    private final TwinRegistry registry;
    private final SearchIndex index;
    private final LongAdder applied = new LongAdder();
    private final LongAdder reread = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder reconciled = new LongAdder();
    private final AtomicBoolean reconciling = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private volatile long droppedSeen;

    IndexFeeder(TwinRegistry registry, SearchIndex index) {
        this.registry = registry;
        this.index = index;
    }

    /** Subscribes, loads the registry's twins and reconciles once (deletes that raced with the load). */
    void start() {
        droppedSeen = registry.stats().eventsDropped();
        registry.subscribe(this);
        for (Thing t : registry.things()) {
            index.update(t.thingId(), current -> newer(current, t) ? t : current);
        }
        reconcile();
    }

    void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Whether {@code candidate} is a later state than {@code current} (a newer life of the thing, or a higher revision). */
    private static boolean newer(Thing current, Thing candidate) {
        if (current == null) {
            return true;
        }
        if (candidate.createdMillis() != current.createdMillis()) {
            return candidate.createdMillis() > current.createdMillis();
        }
        return candidate.revision() > current.revision();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(TwinEvent e) {
        try {
            apply(e);
        } catch (RuntimeException ex) {
            // an event this index cannot digest must not end the subscription; the thing is re-read instead
            LOG.warn("Could not index event {} of {}; re-reading it from the registry", e.type(), e.thingId(), ex);
            index.update(e.thingId(), current -> registry.retrieve(e.thingId()).orElse(null));
        }
    }

    void apply(TwinEvent e) {
        ThingId id = e.thingId();
        index.update(id, current -> {
            Thing next = e.thing();
            boolean successor = next != null && (current == null
                    ? e.type() == TwinEvent.Type.CREATED
                    : e.type() != TwinEvent.Type.CREATED && e.revision() == current.revision() + 1
                            && next.createdMillis() == current.createdMillis());
            if (successor) {
                applied.increment();
                return next;
            }
            if (current != null && e.revision() > current.revision() + 1) {
                gaps.increment();
            }
            reread.increment();
            return registry.retrieve(id).orElse(null);
        });
    }

    @Override
    public void onError(Throwable t) {
        if (!closed) {
            LOG.error("The twin event stream failed; the search index stops following it", t);
        }
    }

    @Override
    public void onComplete() {
        if (!closed) {
            LOG.info("The twin event stream ended; the search index stops following it");
        }
    }

    /** Reconciles when the registry dropped events since the last check (run periodically). */
    void reconcileIfDropped() {
        long dropped = registry.stats().eventsDropped();
        if (dropped != droppedSeen) {
            droppedSeen = dropped;
            reconcile();
        }
    }

    /** Compares every twin with the index: re-reads those whose revision differs, removes those the registry no longer has. */
    void reconcile() {
        if (!reconciling.compareAndSet(false, true)) {
            return;
        }
        try {
            long fixed = 0;
            for (Thing t : registry.things()) {
                Thing indexed = index.get(t.thingId());
                if (indexed == null || indexed.revision() != t.revision() || indexed.createdMillis() != t.createdMillis()) {
                    index.update(t.thingId(), current -> registry.retrieve(t.thingId()).orElse(null));
                    fixed++;
                }
            }
            for (ThingId id : index.ids()) {
                if (registry.retrieve(id).isEmpty()) {
                    index.update(id, current -> registry.retrieve(id).orElse(null));
                    fixed++;
                }
            }
            if (fixed > 0) {
                reconciled.add(fixed);
                LOG.info("Search index reconciled with the registry: {} twins re-read", fixed);
            }
        } finally {
            reconciling.set(false);
        }
    }

    long applied() {
        return applied.sum();
    }

    long reread() {
        return reread.sum();
    }

    long gaps() {
        return gaps.sum();
    }

    long reconciled() {
        return reconciled.sum();
    }
}
