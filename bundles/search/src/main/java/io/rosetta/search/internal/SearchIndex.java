package io.rosetta.search.internal;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * The search index: every twin in a slot, and per-path value indexes ({@link PathIndex}) for the
 * paths that queries use, built on first use and kept up to date with every change; the least
 * recently used is dropped when more than {@code maxIndexes} exist. A filter is evaluated to a bit
 * set of slots: leaves through their path's index, {@code and} from its most selective child on,
 * and once the candidates are few, by checking them with {@link Filter#matches} (the scan that is
 * also the fallback when indexes are disabled). The page is then picked with a bounded heap in sort
 * order after the cursor.
 *
 * <p>Writes (one thing at a time) take the write lock, queries the read lock.
 */
public final class SearchIndex {

    /** Candidates up to this many are checked one by one rather than through another index. */
    static final int VERIFY_LIMIT = 512;
    /** More matches than this are paged in the order of the first sort key's index rather than by a heap over all of them. */
    static final int INDEX_SORT_LIMIT = 2048;
    private static final int MAX_BUILD_ATTEMPTS = 8;

    /** A page of results; {@code more} tells whether things follow it. */
    public record Page(List<Thing> items, boolean more) {
    }

    /** Counters: things, indexes (paths) and what happened to them. */
    public record Stats(int things, List<String> indexedPaths, long indexBuilds, long indexEvictions, long queries) {
    }

    private static final class MissingIndex extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient FieldPath path;

        MissingIndex(FieldPath path) {
            super(null, null, false, false);
            this.path = path;
        }
    }

    private record Entry(Thing thing, ValueKey[] tuple) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final int maxIndexes;
    private final Map<ThingId, Integer> slots = new HashMap<>();
    private final Map<FieldPath, PathIndex> indexes = new HashMap<>();
    private final BitSet live = new BitSet();
    private Thing[] docs = new Thing[1024];
    private int[] free = new int[64];
    private int freeCount;
    private int highWater;
    private final LongAdder builds = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder queries = new LongAdder();

    /** @param maxIndexes how many path indexes exist at most; 0 answers every query by scanning */
    public SearchIndex(int maxIndexes) {
        this.maxIndexes = Math.max(0, maxIndexes);
    }

    // ---- writes ----------------------------------------------------------------------------

    /** Adds the thing or replaces the indexed one of its id. */
    public void upsert(Thing thing) {
        lock.writeLock().lock();
        try {
            upsertLocked(thing);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void remove(ThingId id) {
        lock.writeLock().lock();
        try {
            removeLocked(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs {@code updates} (calls of {@link #update}) with the index locked for writing when no query or other
     * writer holds it right now; answers false, having run nothing, when the lock is taken.
     */
    boolean tryExclusive(Runnable updates) {
        if (!lock.writeLock().tryLock()) {
            return false;
        }
        try {
            updates.run();
        } finally {
            lock.writeLock().unlock();
        }
        return true;
    }

    /** Runs {@code updates} (calls of {@link #update}) with the index locked for writing, waiting for the lock. */
    void exclusive(Runnable updates) {
        lock.writeLock().lock();
        try {
            updates.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Replaces the indexed thing of {@code id} atomically by what {@code change} makes of it
     * ({@code null} in, {@code null} out: absent); the one place where a read and a write of the
     * index must not be separated.
     */
    public void update(ThingId id, UnaryOperator<Thing> change) {
        lock.writeLock().lock();
        try {
            Integer slot = slots.get(id);
            Thing current = slot == null ? null : docs[slot];
            Thing next = change.apply(current);
            if (next == null) {
                if (current != null) {
                    removeLocked(id);
                }
            } else if (next != current) {
                upsertLocked(next);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void upsertLocked(Thing thing) {
        Integer existing = slots.get(thing.thingId());
        if (existing != null) {
            int slot = existing;
            Thing before = docs[slot];
            if (before == thing) {
                return;
            }
            for (PathIndex idx : indexes.values()) {
                idx.update(slot, before, thing, highWater);
            }
            docs[slot] = thing;
            return;
        }
        int slot = freeCount > 0 ? free[--freeCount] : highWater++;
        if (slot >= docs.length) {
            docs = Arrays.copyOf(docs, docs.length * 2);
        }
        docs[slot] = thing;
        slots.put(thing.thingId(), slot);
        live.set(slot);
        for (PathIndex idx : indexes.values()) {
            idx.add(slot, thing, highWater);
        }
    }

    private void removeLocked(ThingId id) {
        Integer slot = slots.remove(id);
        if (slot == null) {
            return;
        }
        Thing before = docs[slot];
        for (PathIndex idx : indexes.values()) {
            idx.remove(slot, before);
        }
        docs[slot] = null;
        live.clear(slot);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
    }

    // ---- reads -----------------------------------------------------------------------------

    public Thing get(ThingId id) {
        lock.readLock().lock();
        try {
            Integer slot = slots.get(id);
            return slot == null ? null : docs[slot];
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return slots.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The indexed things (a copy), for reconciliation with the registry. */
    public List<ThingId> ids() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(slots.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    public Stats stats() {
        lock.readLock().lock();
        try {
            return new Stats(slots.size(), indexes.keySet().stream().map(FieldPath::toString).sorted().toList(), builds.sum(),
                    evictions.sum(), queries.sum());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The page of things that match {@code filter}, in the options' sort order, after the position
     * {@code after} (the sort values of the last thing of the previous page, or {@code null}).
     */
    public Page search(Filter filter, SearchOptions options, List<ValueKey> after) {
        queries.increment();
        List<SortKey> sort = options.effectiveSort();
        return withIndexes(allowMissing -> {
            BitSet matches = evaluate(filter, null, allowMissing);
            if (matches.cardinality() > INDEX_SORT_LIMIT) {
                PathIndex first = indexes.get(sort.get(0).path());
                if (first == null && !allowMissing) {
                    throw new MissingIndex(sort.get(0).path());
                }
                if (first != null) {
                    return pageInIndexOrder(matches, first, sort, options, after);
                }
            }
            return page(matches, sort, options, after);
        });
    }

    public long count(Filter filter) {
        queries.increment();
        return withIndexes(allowMissing -> (long) evaluate(filter, null, allowMissing).cardinality());
    }

    /** The same answer as {@link #search}, found by checking every thing: the baseline the index is measured against. */
    public Page scanSearch(Filter filter, SearchOptions options, List<ValueKey> after) {
        lock.readLock().lock();
        try {
            return page(verify(filter, live), options.effectiveSort(), options, after);
        } finally {
            lock.readLock().unlock();
        }
    }

    public long scanCount(Filter filter) {
        lock.readLock().lock();
        try {
            return verify(filter, live).cardinality();
        } finally {
            lock.readLock().unlock();
        }
    }

    private interface Evaluation<T> {
        T run(boolean allowMissing);
    }

    /** Runs a query under the read lock; when it needs an index that does not exist yet, builds it (write lock) and runs again. */
    private <T> T withIndexes(Evaluation<T> evaluation) {
        for (int attempt = 0; ; attempt++) {
            FieldPath missing;
            lock.readLock().lock();
            try {
                return evaluation.run(attempt >= MAX_BUILD_ATTEMPTS || maxIndexes == 0);
            } catch (MissingIndex m) {
                missing = m.path;
            } finally {
                lock.readLock().unlock();
            }
            build(missing);
        }
    }

    private void build(FieldPath path) {
        lock.writeLock().lock();
        try {
            if (indexes.containsKey(path)) {
                return;
            }
            while (indexes.size() >= maxIndexes) {
                PathIndex oldest = null;
                for (PathIndex idx : indexes.values()) {
                    if (oldest == null || idx.lastUsed - oldest.lastUsed < 0) {
                        oldest = idx;
                    }
                }
                indexes.remove(oldest.path());
                evictions.increment();
            }
            PathIndex idx = new PathIndex(path);
            for (int slot = live.nextSetBit(0); slot >= 0; slot = live.nextSetBit(slot + 1)) {
                idx.add(slot, docs[slot], highWater);
            }
            indexes.put(path, idx);
            builds.increment();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The slots of {@code candidates} (all live slots when null) that match; never modifies {@code candidates}. */
    private BitSet evaluate(Filter f, BitSet candidates, boolean allowMissing) {
        if (f instanceof Filter.All) {
            return copy(candidates == null ? live : candidates);
        }
        if (f instanceof Filter.And and) {
            BitSet result = candidates;
            List<Filter> ordered = new ArrayList<>(and.children());
            ordered.sort(Comparator.comparingInt(SearchIndex::cost));
            for (Filter child : ordered) {
                result = evaluate(child, result, allowMissing);
                if (result.isEmpty()) {
                    break;
                }
            }
            return result == candidates ? copy(result) : result;
        }
        if (f instanceof Filter.Or or) {
            BitSet result = new BitSet();
            for (Filter child : or.children()) {
                result.or(evaluate(child, candidates, allowMissing));
            }
            return result;
        }
        if (f instanceof Filter.Not not) {
            BitSet result = copy(candidates == null ? live : candidates);
            result.andNot(evaluate(not.child(), candidates, allowMissing));
            return result;
        }
        if (candidates != null && candidates.cardinality() <= VERIFY_LIMIT) {
            return verify(f, candidates);
        }
        FieldPath path = pathOf(f);
        PathIndex idx = indexes.get(path);
        if (idx == null) {
            if (!allowMissing) {
                throw new MissingIndex(path);
            }
            return verify(f, candidates == null ? live : candidates);
        }
        BitSet result = idx.evaluate(f);
        if (candidates != null) {
            result.and(candidates);
        }
        return result;
    }

    private static FieldPath pathOf(Filter leaf) {
        if (leaf instanceof Filter.Compare c) {
            return c.path();
        }
        if (leaf instanceof Filter.In in) {
            return in.path();
        }
        if (leaf instanceof Filter.Like l) {
            return l.path();
        }
        if (leaf instanceof Filter.Exists e) {
            return e.path();
        }
        throw new IllegalArgumentException("not a leaf: " + leaf);
    }

    /** Rough cost of evaluating a child of {@code and} through the index: selective lookups first. */
    private static int cost(Filter f) {
        if (f instanceof Filter.Compare c) {
            return switch (c.op()) {
                case EQ -> 0;
                case NE -> 4;
                default -> 2;
            };
        }
        if (f instanceof Filter.In) {
            return 0;
        }
        if (f instanceof Filter.Exists) {
            return 1;
        }
        if (f instanceof Filter.Like l) {
            return !l.ignoreCase() && !Wildcards.literalPrefix(l.pattern()).isEmpty() ? 2 : 3;
        }
        if (f instanceof Filter.And) {
            return 3;
        }
        return 5;
    }

    private BitSet verify(Filter f, BitSet candidates) {
        BitSet out = new BitSet();
        for (int slot = candidates.nextSetBit(0); slot >= 0; slot = candidates.nextSetBit(slot + 1)) {
            Thing t = docs[slot];
            if (t != null && f.matches(t)) {
                out.set(slot);
            }
        }
        return out;
    }

    private static BitSet copy(BitSet b) {
        return (BitSet) b.clone();
    }

    // ---- paging ----------------------------------------------------------------------------

    private Page page(BitSet matches, List<SortKey> sort, SearchOptions options, List<ValueKey> after) {
        ValueKey[] cursor = after == null ? null : after.toArray(new ValueKey[0]);
        Comparator<ValueKey[]> order = tupleOrder(sort);
        int keep = options.offset() + options.size() + 1;
        // a max-heap of the best 'keep' so far: its head is the worst of them
        PriorityQueue<Entry> heap = new PriorityQueue<>(Math.min(keep, 1024), (a, b) -> order.compare(b.tuple(), a.tuple()));
        for (int slot = matches.nextSetBit(0); slot >= 0; slot = matches.nextSetBit(slot + 1)) {
            Thing t = docs[slot];
            ValueKey[] tuple = sortValues(t, sort);
            if (cursor != null && order.compare(tuple, cursor) <= 0) {
                continue;
            }
            if (heap.size() < keep) {
                heap.add(new Entry(t, tuple));
            } else if (order.compare(tuple, heap.peek().tuple()) < 0) {
                heap.poll();
                heap.add(new Entry(t, tuple));
            }
        }
        List<Entry> best = new ArrayList<>(heap);
        best.sort((a, b) -> order.compare(a.tuple(), b.tuple()));
        boolean more = best.size() == keep;
        int from = Math.min(options.offset(), best.size());
        int to = Math.min(options.offset() + options.size(), best.size());
        List<Thing> items = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            items.add(best.get(i).thing());
        }
        return new Page(items, more);
    }

    /**
     * The page found by walking the first sort key's index in sort order: value by value (the things
     * without the key first when ascending, last when descending), the matches among each value's
     * things ordered by the remaining keys, until the page is full. A thing with several values (an
     * array, {@code features/*}) is taken at the value it sorts by, its smallest (largest when
     * descending), and skipped at the others.
     */
    private Page pageInIndexOrder(BitSet matches, PathIndex first, List<SortKey> sort, SearchOptions options, List<ValueKey> after) {
        ValueKey[] cursor = after == null ? null : after.toArray(new ValueKey[0]);
        Comparator<ValueKey[]> order = tupleOrder(sort);
        boolean ascending = sort.get(0).ascending();
        int keep = options.offset() + options.size() + 1;
        List<Entry> out = new ArrayList<>(Math.min(keep, 1024));
        BitSet missing = (BitSet) matches.clone();
        missing.andNot(first.valued());
        NavigableMap<ValueKey, Postings> values = ascending ? first.values() : first.values().descendingMap();
        if (cursor != null && cursor[0].rank != ValueKey.MISSING) {
            values = values.tailMap(cursor[0], true);
        } else if (cursor != null && !ascending) {
            values = java.util.Collections.emptyNavigableMap(); // past every value: only things without the key remain
        }
        if (ascending && (cursor == null || cursor[0].rank == ValueKey.MISSING)) {
            collect(missing, ValueKey.MISSING_KEY, sort, order, cursor, keep, out);
        }
        for (Map.Entry<ValueKey, Postings> group : values.entrySet()) {
            if (out.size() >= keep) {
                break;
            }
            BitSet slots = new BitSet();
            group.getValue().forEach(slot -> {
                if (matches.get(slot)) {
                    slots.set(slot);
                }
            });
            collect(slots, group.getKey(), sort, order, cursor, keep, out);
        }
        if (!ascending && out.size() < keep) {
            collect(missing, ValueKey.MISSING_KEY, sort, order, cursor, keep, out);
        }
        boolean more = out.size() >= keep;
        int from = Math.min(options.offset(), out.size());
        int to = Math.min(options.offset() + options.size(), out.size());
        List<Thing> items = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            items.add(out.get(i).thing());
        }
        return new Page(items, more);
    }

    /** Appends, in order, the things of one value of the first sort key that sort by that value and come after the cursor. */
    private void collect(BitSet slots, ValueKey value, List<SortKey> sort, Comparator<ValueKey[]> order, ValueKey[] cursor, int keep,
            List<Entry> out) {
        int room = keep - out.size();
        if (room <= 0 || slots.isEmpty()) {
            return;
        }
        PriorityQueue<Entry> heap = new PriorityQueue<>(Math.min(room, 1024), (a, b) -> order.compare(b.tuple(), a.tuple()));
        for (int slot = slots.nextSetBit(0); slot >= 0; slot = slots.nextSetBit(slot + 1)) {
            Thing t = docs[slot];
            ValueKey[] tuple = sortValues(t, sort);
            if (!tuple[0].equals(value) || cursor != null && order.compare(tuple, cursor) <= 0) {
                continue;
            }
            if (heap.size() < room) {
                heap.add(new Entry(t, tuple));
            } else if (order.compare(tuple, heap.peek().tuple()) < 0) {
                heap.poll();
                heap.add(new Entry(t, tuple));
            }
        }
        List<Entry> best = new ArrayList<>(heap);
        best.sort((a, b) -> order.compare(a.tuple(), b.tuple()));
        out.addAll(best);
    }

    /** The values a thing is sorted by: per key the smallest value (ascending) or the largest (descending), as MongoDB sorts arrays. */
    static ValueKey[] sortValues(Thing thing, List<SortKey> sort) {
        ValueKey[] tuple = new ValueKey[sort.size()];
        for (int i = 0; i < tuple.length; i++) {
            SortKey key = sort.get(i);
            ValueKey[] best = {null};
            key.path().scalars(thing, v -> {
                ValueKey k = ValueKey.of(v);
                if (best[0] == null || (key.ascending() ? k.compareTo(best[0]) < 0 : k.compareTo(best[0]) > 0)) {
                    best[0] = k;
                }
            });
            tuple[i] = best[0] == null ? ValueKey.MISSING_KEY : best[0];
        }
        return tuple;
    }

    static Comparator<ValueKey[]> tupleOrder(List<SortKey> sort) {
        boolean[] ascending = new boolean[sort.size()];
        for (int i = 0; i < ascending.length; i++) {
            ascending[i] = sort.get(i).ascending();
        }
        return (a, b) -> {
            for (int i = 0; i < ascending.length; i++) {
                int c = a[i].compareTo(b[i]);
                if (c != 0) {
                    return ascending[i] ? c : -c;
                }
            }
            return 0;
        };
    }
}
