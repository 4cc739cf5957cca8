package io.rosetta.search.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The parsed {@code option} parameter: sort keys (default {@code +thingId}), page size (default
 * {@value #DEFAULT_SIZE}, at most {@value #MAX_SIZE}), the cursor of a previous page, or the
 * deprecated {@code limit(offset,count)}.
 */
public record SearchOptions(List<SortKey> sort, int size, String cursor, int offset, boolean limit) {

    public static final int DEFAULT_SIZE = 25;
    public static final int MAX_SIZE = 200;
    /** The largest offset of the deprecated {@code limit}: deeper pages are reached with cursors. */
    public static final int MAX_OFFSET = 10_000;

    public SearchOptions {
        sort = List.copyOf(sort);
    }

    public static SearchOptions defaults() {
        return newBuilder().build();
    }

    static Builder newBuilder() {
        return new Builder();
    }

    /** The sort as it is applied: the given keys, then {@code +thingId} to break ties (unless already sorted by it). */
    List<SortKey> effectiveSort() {
        for (SortKey k : sort) {
            if (k.path().root() == FieldPath.Root.THING_ID) {
                return sort;
            }
        }
        return java.util.stream.Stream.concat(sort.stream(), java.util.stream.Stream.of(new SortKey(FieldPath.of("thingId"), true))).toList();
    }

    String sortText() {
        return sort.stream().map(SortKey::toString).collect(Collectors.joining(","));
    }

    static final class Builder {
        private List<SortKey> sort;
        private int size = DEFAULT_SIZE;
        private String cursor;
        private int offset;
        private boolean limit;

        boolean hasSort() {
            return sort != null;
        }

        boolean hasCursor() {
            return cursor != null;
        }

        boolean hasLimit() {
            return limit;
        }

        Builder sort(List<SortKey> keys) {
            this.sort = keys;
            return this;
        }

        Builder size(int size) {
            this.size = size;
            return this;
        }

        Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        Builder limit(int offset, int count) {
            this.limit = true;
            this.offset = offset;
            this.size = count;
            return this;
        }

        SearchOptions build() {
            return new SearchOptions(sort == null ? List.of() : sort, size, cursor, offset, limit);
        }
    }
}
