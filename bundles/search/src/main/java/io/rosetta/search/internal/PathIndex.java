package io.rosetta.search.internal;

import io.rosetta.core.model.Thing;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The index of one path: its values in order, each with the slots of the things that have it
 * (arrays and {@code features/*} count every value), plus the slots where the path exists at all.
 * Equality is a lookup, ranges and prefixes are sub-maps. Guarded by the {@link SearchIndex}'s lock.
 */
final class PathIndex {

    private final FieldPath path;
    private final TreeMap<ValueKey, Postings> values = new TreeMap<>();
    private final BitSet present = new BitSet();
    /** The slots with at least one scalar value (a path can exist holding only an object). */
    private final BitSet valued = new BitSet();
    /** When a query last used this index ({@link System#nanoTime}); racy by design, only for eviction. */
    volatile long lastUsed = System.nanoTime();

    PathIndex(FieldPath path) {
        this.path = path;
    }

    FieldPath path() {
        return path;
    }

    int distinctValues() {
        return values.size();
    }

    void add(int slot, Thing thing, int universe) {
        List<ValueKey> keys = keys(thing);
        if (keys == null) {
            return;
        }
        present.set(slot);
        if (!keys.isEmpty()) {
            valued.set(slot);
        }
        for (ValueKey k : keys) {
            values.computeIfAbsent(k, x -> new Postings()).add(slot, universe);
        }
    }

    void remove(int slot, Thing thing) {
        List<ValueKey> keys = keys(thing);
        if (keys == null) {
            return;
        }
        present.clear(slot);
        valued.clear(slot);
        for (ValueKey k : keys) {
            Postings p = values.get(k);
            if (p != null) {
                p.remove(slot);
                if (p.isEmpty()) {
                    values.remove(k);
                }
            }
        }
    }

    void update(int slot, Thing before, Thing after, int universe) {
        List<ValueKey> old = keys(before);
        List<ValueKey> now = keys(after);
        if (old == null ? now == null : old.equals(now)) {
            return;
        }
        remove(slot, before);
        add(slot, after, universe);
    }

    /** The distinct scalar keys of the path in the thing; an empty list when it exists without scalars; null when absent. */
    private List<ValueKey> keys(Thing thing) {
        boolean[] exists = {false};
        List<ValueKey> keys = new ArrayList<>(2);
        path.resolve(thing, v -> exists[0] = true);
        if (!exists[0]) {
            return null;
        }
        path.scalars(thing, v -> {
            ValueKey k = ValueKey.of(v);
            if (!keys.contains(k)) {
                keys.add(k);
            }
        });
        return keys;
    }

    /** The values in ascending order, each with its slots (read under the index's read lock). */
    NavigableMap<ValueKey, Postings> values() {
        lastUsed = System.nanoTime();
        return values;
    }

    /** The slots where the path has at least one scalar value (the others sort as missing). */
    BitSet valued() {
        return valued;
    }

    /** The slots that match a leaf filter on this path. */
    BitSet evaluate(Filter leaf) {
        lastUsed = System.nanoTime();
        BitSet out = new BitSet();
        if (leaf instanceof Filter.Exists) {
            out.or(present);
        } else if (leaf instanceof Filter.In in) {
            for (ValueKey k : in.values()) {
                Postings p = values.get(k);
                if (p != null) {
                    p.orInto(out);
                }
            }
        } else if (leaf instanceof Filter.Like like) {
            like(like, out);
        } else if (leaf instanceof Filter.Compare c) {
            compare(c, out);
        } else {
            throw new IllegalArgumentException("not a leaf: " + leaf);
        }
        return out;
    }

    private void compare(Filter.Compare c, BitSet out) {
        ValueKey v = c.value();
        switch (c.op()) {
            case EQ -> {
                Postings p = values.get(v);
                if (p != null) {
                    p.orInto(out);
                }
            }
            case NE -> {
                out.or(present);
                Postings p = values.get(v);
                if (p != null) {
                    BitSet equal = new BitSet();
                    p.orInto(equal);
                    out.andNot(equal);
                }
            }
            case GT -> union(values.subMap(v, false, ValueKey.lowest(v.rank + 1), false), out);
            case GE -> union(values.subMap(v, true, ValueKey.lowest(v.rank + 1), false), out);
            case LT -> union(values.subMap(ValueKey.lowest(v.rank), true, v, false), out);
            case LE -> union(values.subMap(ValueKey.lowest(v.rank), true, v, true), out);
        }
    }

    private void like(Filter.Like like, BitSet out) {
        String prefix = like.ignoreCase() ? "" : Wildcards.literalPrefix(like.pattern());
        NavigableMap<ValueKey, Postings> strings = values.subMap(ValueKey.of(prefix), true, ValueKey.lowest(ValueKey.STRING + 1), false);
        for (Map.Entry<ValueKey, Postings> e : strings.entrySet()) {
            String s = e.getKey().string;
            if (!s.startsWith(prefix)) {
                break;
            }
            if (like.matches(s)) {
                e.getValue().orInto(out);
            }
        }
    }

    private static void union(NavigableMap<ValueKey, Postings> range, BitSet out) {
        for (Postings p : range.values()) {
            p.orInto(out);
        }
    }
}
