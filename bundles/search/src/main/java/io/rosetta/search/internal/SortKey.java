package io.rosetta.search.internal;

/** One key of {@code sort(..)}: a property and a direction. */
public record SortKey(FieldPath path, boolean ascending) {

    @Override
    public String toString() {
        return (ascending ? "+" : "-") + path;
    }
}
