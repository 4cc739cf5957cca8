package io.rosetta.search.internal;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinListener;
import io.rosetta.core.registry.TwinRegistry;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link SearchIndex} equal to the registry: listens to the registry's events first, then
 * loads every twin, then applies events. It hears each event on the thread that wrote the twin
 * ({@link TwinListener}) and applies it there when the index is free; while a query or the building of a
 * path index holds the index, the writer does not wait: the event stays in a queue that the next writer to
 * find the index free, or a task on the core scheduler, applies (in arrival order, so each twin's events in
 * revision order). An event is applied as it is when it is the direct
 * successor of the indexed revision; otherwise (a revision was skipped because the registry dropped
 * events for this subscriber, or the event is older than what a re-read already installed) the twin
 * is re-read from the registry, which is the truth. An event that was dropped and never followed by
 * another one for its thing is caught by {@link #reconcileIfDropped}: when the registry's count of
 * dropped events grows, every twin's revision is compared with the registry's.
 */
final class IndexFeeder implements TwinListener {

    private static final Logger LOG = LoggerFactory.getLogger(IndexFeeder.class);

    private final TwinRegistry registry;
    private final SearchIndex index;
    private final LongAdder applied = new LongAdder();
    private final LongAdder reread = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder reconciled = new LongAdder();
    private final AtomicBoolean reconciling = new AtomicBoolean();
    private final Executor executor;
    private final ConcurrentLinkedQueue<TwinEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long droppedSeen;

    /** @param executor where events wait to be applied while the index is busy with a query */
    IndexFeeder(TwinRegistry registry, SearchIndex index, Executor executor) {
        this.registry = registry;
        this.index = index;
        this.executor = executor;
    }

    /** Listens, loads the registry's twins and reconciles once (deletes that raced with the load). */
    void start() {
        droppedSeen = registry.stats().eventsDropped();
        registry.listen(this);
        for (Thing t : registry.things()) {
            index.update(t.thingId(), current -> newer(current, t) ? t : current);
        }
        reconcile();
    }

    void close() {
        closed = true;
        registry.unlisten(this);
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

    /** On the writing thread: applies the event now if the index is free, else leaves it for whoever frees it. */
    @Override
    public void onEvent(TwinEvent e) {
        if (closed) {
            return;
        }
        pending.add(e);
        if (!index.tryExclusive(this::applyPending)) {
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    drainScheduled.set(false);
                    index.exclusive(this::applyPending);
                });
            } catch (RejectedExecutionException ex) {
                // the scheduler is shutting down or saturated: the next event, or the reconciliation, catches up
                drainScheduled.set(false);
            }
        }
    }

    /** With the index locked: applies every waiting event, oldest first. */
    private void applyPending() {
        TwinEvent e;
        while ((e = pending.poll()) != null) {
            applySafely(e);
        }
    }

    private void applySafely(TwinEvent e) {
        try {
            apply(e);
        } catch (RuntimeException ex) {
            // an event this index cannot digest must not end the following; the thing is re-read instead
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

    /** Events heard while the index was busy, not applied yet. */
    int pending() {
        return pending.size();
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
