package io.rosetta.search.internal;

import io.rosetta.core.model.Thing;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The filters handed out to live streams, indexed so that deciding all of them for one thing costs about as much as
 * deciding the few that can match. A live stream asks every subscriber's filter about every changed twin; with
 * a thousand subscribers that is a thousand evaluations per event. Here the first question about a twin decides
 * every registered filter at once and remembers the answer for that twin (compared by identity: twins are immutable
 * values), so the other questions about the same twin are a bit lookup.
 *
 * <p>Deciding at once: a filter that requires a property to equal one of some values ({@code eq}, {@code in}, or
 * either inside an {@code and}) is filed under that property and those values; the twin's values of each filed
 * property select the candidates, which are then evaluated in full ({@link Filter#matches}, the search's reference
 * semantics). Filters without such a requirement are evaluated for every twin. The index is rebuilt when filters
 * come or go; a filter goes when nothing else holds it any more (weak references). One twin is remembered at a time:
 * callers asking about different twins from several threads at once get the same answers, only slower.
 */
final class LiveFilterIndex {

    /** The predicate a live stream holds; its slot stays the same while it lives. */
    final class IndexedPredicate implements Predicate<Thing> {
        final Filter filter;
        final int slot;

        private IndexedPredicate(Filter filter, int slot) {
            this.filter = filter;
            this.slot = slot;
        }

        @Override
        public boolean test(Thing thing) {
            return LiveFilterIndex.this.test(this, thing);
        }

        @Override
        public String toString() {
            return filter.toString();
        }
    }

    private static final class Ref extends WeakReference<IndexedPredicate> {
        final int slot;

        Ref(IndexedPredicate p, ReferenceQueue<IndexedPredicate> queue) {
            super(p, queue);
            this.slot = p.slot;
        }
    }

    /** A property and the values one of which a filter requires there. */
    private record Guard(FieldPath path, Set<ValueKey> values) {
    }

    /** The registered filters at one moment, by slot, with the equality index. Immutable. */
    private record Snapshot(Filter[] filters, Map<FieldPath, Map<ValueKey, int[]>> index, int[] unguarded) {
    }

    /** The decisions of every filter of a snapshot for one twin. */
    private record Memo(Thing thing, Snapshot snapshot, BitSet matches) {
    }

    private final ReferenceQueue<IndexedPredicate> queue = new ReferenceQueue<>();
    private final Object lock = new Object();
    // guarded by lock
    private final List<Filter> bySlot = new ArrayList<>();
    /** The weak references themselves must stay reachable to be enqueued when their predicate goes. */
    private final List<Ref> refs = new ArrayList<>();
    private final BitSet free = new BitSet();
    private int live;
    private volatile boolean dirty;
    private volatile Snapshot snapshot = new Snapshot(new Filter[0], Map.of(), new int[0]);
    private volatile Memo memo;

    /** Files a filter and returns the predicate that decides it through the index. */
    Predicate<Thing> register(Filter filter) {
        synchronized (lock) {
            expunge();
            int slot = free.nextSetBit(0);
            if (slot < 0) {
                slot = bySlot.size();
                bySlot.add(filter);
                refs.add(null);
            } else {
                free.clear(slot);
                bySlot.set(slot, filter);
            }
            live++;
            IndexedPredicate p = new IndexedPredicate(filter, slot);
            refs.set(slot, new Ref(p, queue));
            dirty = true;
            return p;
        }
    }

    /** Filters registered and still held by someone (after the last clean-up). */
    int size() {
        synchronized (lock) {
            expunge();
            return live;
        }
    }

    /** The hot path: one memo check and a bit per question; the index is consulted once per twin. */
    private boolean test(IndexedPredicate p, Thing thing) {
        Memo m = memo;
        if (m == null || m.thing() != thing) {
            Snapshot s = current();
            m = new Memo(thing, s, decide(s, thing));
            memo = m;
        }
        Filter[] filters = m.snapshot().filters();
        if (p.slot >= filters.length || filters[p.slot] != p.filter) {
            // not in the snapshot the twin was decided with (registered since): decided on its own
            return p.filter.matches(thing);
        }
        return m.matches().get(p.slot);
    }

    private Snapshot current() {
        java.lang.ref.Reference<? extends IndexedPredicate> gone = queue.poll();
        if (dirty || gone != null) {
            synchronized (lock) {
                if (gone != null) {
                    release((Ref) gone);
                }
                expunge();
                if (dirty) {
                    snapshot = build();
                    dirty = false;
                }
            }
        }
        return snapshot;
    }

    /** Frees the slots of predicates nobody holds any more; under the lock. */
    private void expunge() {
        java.lang.ref.Reference<? extends IndexedPredicate> r;
        while ((r = queue.poll()) != null) {
            release((Ref) r);
        }
    }

    /** Under the lock. */
    private void release(Ref r) {
        if (refs.get(r.slot) == r) {
            refs.set(r.slot, null);
            bySlot.set(r.slot, null);
            free.set(r.slot);
            live--;
            dirty = true;
        }
    }

    /** Under the lock. */
    private Snapshot build() {
        Filter[] filters = bySlot.toArray(new Filter[0]);
        Map<FieldPath, Map<ValueKey, List<Integer>>> index = new HashMap<>();
        List<Integer> unguarded = new ArrayList<>();
        for (int slot = 0; slot < filters.length; slot++) {
            if (filters[slot] == null) {
                continue;
            }
            Guard g = guard(filters[slot]);
            if (g == null) {
                unguarded.add(slot);
                continue;
            }
            Map<ValueKey, List<Integer>> byValue = index.computeIfAbsent(g.path(), k -> new HashMap<>());
            for (ValueKey v : g.values()) {
                byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(slot);
            }
        }
        Map<FieldPath, Map<ValueKey, int[]>> frozen = new HashMap<>();
        index.forEach((path, byValue) -> {
            Map<ValueKey, int[]> m = new HashMap<>();
            byValue.forEach((v, slots) -> m.put(v, slots.stream().mapToInt(Integer::intValue).toArray()));
            frozen.put(path, m);
        });
        return new Snapshot(filters, frozen, unguarded.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * A requirement that every thing the filter matches meets: some scalar at the path equals one of the values. Sound
     * because {@code eq} and {@code in} compare scalars by {@link ValueKey} equality, as the index looks them up.
     */
    private static Guard guard(Filter f) {
        if (f instanceof Filter.Compare c && c.op() == Filter.Op.EQ) {
            return new Guard(c.path(), Set.of(c.value()));
        }
        if (f instanceof Filter.In in) {
            return new Guard(in.path(), in.values());
        }
        if (f instanceof Filter.And and) {
            Guard best = null;
            for (Filter child : and.children()) {
                Guard g = guard(child);
                if (g != null && (best == null || g.values().size() < best.values().size())) {
                    best = g;
                }
            }
            return best;
        }
        return null;
    }

    /** Every filter of the snapshot decided for one thing. */
    private static BitSet decide(Snapshot s, Thing thing) {
        Filter[] filters = s.filters();
        BitSet matches = new BitSet(filters.length);
        for (int slot : s.unguarded()) {
            if (filters[slot].matches(thing)) {
                matches.set(slot);
            }
        }
        BitSet decided = null;
        for (Map.Entry<FieldPath, Map<ValueKey, int[]>> e : s.index().entrySet()) {
            Map<ValueKey, int[]> byValue = e.getValue();
            Set<ValueKey> values = new HashSet<>(4);
            e.getKey().scalars(thing, v -> values.add(ValueKey.of(v)));
            for (ValueKey v : values) {
                int[] slots = byValue.get(v);
                if (slots == null) {
                    continue;
                }
                if (decided == null) {
                    decided = new BitSet(filters.length);
                }
                for (int slot : slots) {
                    if (!decided.get(slot)) {
                        decided.set(slot);
                        if (filters[slot].matches(thing)) {
                            matches.set(slot);
                        }
                    }
                }
            }
        }
        return matches;
    }
}
