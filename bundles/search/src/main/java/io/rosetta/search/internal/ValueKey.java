package io.rosetta.search.internal;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNull;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;

/**
 * A scalar value as the search compares, indexes and sorts it. Values of different types never
 * compare equal and are ordered by type as MongoDB orders them for Ditto: missing, null, numbers,
 * strings, booleans. Numbers compare by value ({@code 21} equals {@code 21.0}).
 */
final class ValueKey implements Comparable<ValueKey> {

    static final int MISSING = -1;
    static final int NULL = 0;
    static final int NUMBER = 1;
    static final int STRING = 2;
    static final int BOOLEAN = 3;

    static final ValueKey MISSING_KEY = new ValueKey(MISSING, 0, null);
    static final ValueKey NULL_KEY = new ValueKey(NULL, 0, null);
    private static final ValueKey FALSE = new ValueKey(BOOLEAN, 0, null);
    private static final ValueKey TRUE = new ValueKey(BOOLEAN, 1, null);

    final int rank;
    final double number;
    final String string;

    private ValueKey(int rank, double number, String string) {
        this.rank = rank;
        this.number = number == 0.0 ? 0.0 : number; // -0.0 equals 0.0
        this.string = string;
    }

    static ValueKey of(double n) {
        return new ValueKey(NUMBER, n, null);
    }

    static ValueKey of(String s) {
        return new ValueKey(STRING, 0, s);
    }

    static ValueKey of(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** The key of a scalar JSON value; {@code null} for objects and arrays. */
    static ValueKey of(JsonValue v) {
        if (v instanceof JsonString s) {
            return of(s.value());
        }
        if (v instanceof JsonNumber n) {
            return of(n.doubleValue());
        }
        if (v instanceof JsonBoolean b) {
            return of(b.value());
        }
        if (v instanceof JsonNull) {
            return NULL_KEY;
        }
        return null;
    }

    /** The rank of a scalar JSON value as {@link #of(JsonValue)} would give it, without creating the key; {@link #MISSING} for objects and arrays. */
    static int rankOf(JsonValue v) {
        if (v instanceof JsonString) {
            return STRING;
        }
        if (v instanceof JsonNumber) {
            return NUMBER;
        }
        if (v instanceof JsonBoolean) {
            return BOOLEAN;
        }
        return v instanceof JsonNull ? NULL : MISSING;
    }

    /**
     * Compares a scalar JSON value of this key's rank with this key, as {@code ValueKey.of(v).compareTo(this)} does,
     * without creating the key.
     */
    int compareFrom(JsonValue v) {
        return switch (rank) {
            case NUMBER -> Double.compare(((JsonNumber) v).doubleValue() == 0.0 ? 0.0 : ((JsonNumber) v).doubleValue(), number);
            case STRING -> ((JsonString) v).value().compareTo(string);
            case BOOLEAN -> Double.compare(((JsonBoolean) v).value() ? 1 : 0, number);
            default -> 0;
        };
    }

    /** The smallest key of a type (of any value of that type), for range bounds; {@code lowest(rank + 1)} bounds the type from above. */
    static ValueKey lowest(int rank) {
        return switch (rank) {
            case NUMBER -> new ValueKey(NUMBER, Double.NEGATIVE_INFINITY, null);
            case STRING -> new ValueKey(STRING, 0, "");
            case BOOLEAN -> FALSE;
            default -> new ValueKey(rank, 0, null);
        };
    }

    JsonValue toJson() {
        return switch (rank) {
            case NUMBER -> number == Math.rint(number) && Math.abs(number) < 9.007199254740992E15
                    ? JsonNumber.of((long) number) : JsonNumber.of(number);
            case STRING -> JsonString.of(string);
            case BOOLEAN -> JsonBoolean.of(number != 0);
            default -> JsonNull.INSTANCE;
        };
    }

    @Override
    public int compareTo(ValueKey o) {
        if (rank != o.rank) {
            return Integer.compare(rank, o.rank);
        }
        return switch (rank) {
            case NUMBER, BOOLEAN -> Double.compare(number, o.number);
            case STRING -> string.compareTo(o.string);
            default -> 0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueKey k && k.rank == rank && (rank == STRING ? k.string.equals(string) : Double.compare(k.number, number) == 0);
    }

    @Override
    public int hashCode() {
        return rank == STRING ? string.hashCode() : 31 * rank + Double.hashCode(number);
    }

    @Override
    public String toString() {
        return rank == MISSING ? "<missing>" : toJson().toString();
    }
}
