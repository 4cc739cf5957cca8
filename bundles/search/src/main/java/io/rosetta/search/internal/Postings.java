package io.rosetta.search.internal;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The slots of the things that have one value at one path: an array of slots while that is smaller
 * than a bit set over all slots (a serial number, a room shared by a few hundred things), a bit set
 * once the value is common (a vendor shared by half the fleet). Adding, removing and OR-ing stay
 * cheap at both ends, and memory stays at most 4 bytes per (thing, value) or one bit per thing.
 */
final class Postings {

    private static final int SMALL_MIN = 32;

    private int[] small = new int[2];
    private int size;
    private BitSet big;

    /** Adds a slot that is not there yet; {@code universe} is the number of slots in use, which decides when a bit set is the smaller form. */
    void add(int slot, int universe) {
        if (big != null) {
            if (!big.get(slot)) {
                big.set(slot);
                size++;
            }
            return;
        }
        // the index adds a slot to a value only while it is not there (it removes before it adds): no duplicate check
        if (size >= Math.max(SMALL_MIN, universe / 32)) {
            big = new BitSet();
            for (int i = 0; i < size; i++) {
                big.set(small[i]);
            }
            small = null;
            big.set(slot);
            size++;
            return;
        }
        if (size == small.length) {
            small = Arrays.copyOf(small, size * 2);
        }
        small[size++] = slot;
    }

    void remove(int slot) {
        if (big != null) {
            if (big.get(slot)) {
                big.clear(slot);
                size--;
            }
            return;
        }
        for (int i = 0; i < size; i++) {
            if (small[i] == slot) {
                small[i] = small[--size];
                return;
            }
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Calls {@code action} with each slot (in no particular order). */
    void forEach(java.util.function.IntConsumer action) {
        if (big != null) {
            for (int slot = big.nextSetBit(0); slot >= 0; slot = big.nextSetBit(slot + 1)) {
                action.accept(slot);
            }
        } else {
            for (int i = 0; i < size; i++) {
                action.accept(small[i]);
            }
        }
    }

    void orInto(BitSet target) {
        if (big != null) {
            target.or(big);
        } else {
            for (int i = 0; i < size; i++) {
                target.set(small[i]);
            }
        }
    }
}
