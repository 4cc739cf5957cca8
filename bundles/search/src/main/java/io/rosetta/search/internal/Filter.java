package io.rosetta.search.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed RQL filter. {@link #matches} is the reference semantics, shared by the index (which must
 * answer exactly the same) and by the scan that verifies small candidate sets; {@link #toString}
 * writes the filter back as normalized RQL.
 */
public sealed interface Filter {

    boolean matches(Thing thing);

    /** Every thing: the filter of a search without {@code filter}. */
    record All() implements Filter {
        @Override
        public boolean matches(Thing thing) {
            return true;
        }

        @Override
        public String toString() {
            return "";
        }
    }

    /** The relational operators with one value. */
    enum Op {
        EQ, NE, GT, GE, LT, LE;

        String rql() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean test(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
            };
        }
    }

    /**
     * {@code eq ne gt ge lt le}: values of the same type only (no conversion). {@code ne} matches
     * only things that have the property and none of whose values equals the given one.
     */
    record Compare(Op op, FieldPath path, ValueKey value) implements Filter {
        @Override
        public boolean matches(Thing thing) {
            if (path.isSingle()) {
                // the common case (one value, no array), decided without collecting values: live streams evaluate every
                // subscriber's filter for every event
                JsonValue v = path.single(thing);
                if (v == null) {
                    return false;
                }
                if (!(v instanceof JsonArray)) {
                    int rank = ValueKey.rankOf(v);
                    if (op == Op.NE) {
                        // an object exists and has no scalar equal to the value
                        return rank != value.rank || v instanceof JsonObject || value.compareFrom(v) != 0;
                    }
                    return rank == value.rank && op.test(value.compareFrom(v));
                }
            }
            if (op == Op.NE) {
                boolean[] state = {false, false}; // exists, equal found
                path.resolve(thing, v -> state[0] = true);
                if (!state[0]) {
                    return false;
                }
                path.scalars(thing, v -> {
                    if (value.equals(ValueKey.of(v))) {
                        state[1] = true;
                    }
                });
                return !state[1];
            }
            boolean[] found = {false};
            path.scalars(thing, v -> {
                if (!found[0]) {
                    ValueKey k = ValueKey.of(v);
                    found[0] = k.rank == value.rank && op.test(k.compareTo(value));
                }
            });
            return found[0];
        }

        @Override
        public String toString() {
            return op.rql() + "(" + path + "," + Rql.literal(value) + ")";
        }
    }

    /** {@code in}: some value equals one of the given ones. */
    record In(FieldPath path, Set<ValueKey> values) implements Filter {
        public In {
            values = Set.copyOf(values);
        }

        @Override
        public boolean matches(Thing thing) {
            boolean[] found = {false};
            path.scalars(thing, v -> found[0] |= values.contains(ValueKey.of(v)));
            return found[0];
        }

        @Override
        public String toString() {
            return "in(" + path + "," + values.stream().sorted().map(Rql::literal).collect(Collectors.joining(",")) + ")";
        }
    }

    /** {@code like} / {@code ilike}: some string value matches the pattern ({@code *} any run, {@code ?} one character). */
    record Like(FieldPath path, String pattern, boolean ignoreCase) implements Filter {
        @Override
        public boolean matches(Thing thing) {
            boolean[] found = {false};
            path.scalars(thing, v -> {
                if (!found[0] && v instanceof JsonString s) {
                    found[0] = matches(s.value());
                }
            });
            return found[0];
        }

        boolean matches(String s) {
            return Wildcards.matches(pattern, s, ignoreCase);
        }

        @Override
        public String toString() {
            return (ignoreCase ? "ilike(" : "like(") + path + "," + Rql.literal(ValueKey.of(pattern)) + ")";
        }
    }

    /** {@code exists}: the property has a value of any type. */
    record Exists(FieldPath path) implements Filter {
        @Override
        public boolean matches(Thing thing) {
            if (path.isSingle()) {
                JsonValue v = path.single(thing);
                if (!(v instanceof JsonArray)) {
                    return v != null;
                }
            }
            return path.exists(thing);
        }

        @Override
        public String toString() {
            return "exists(" + path + ")";
        }
    }

    record And(List<Filter> children) implements Filter {
        public And {
            children = List.copyOf(children);
        }

        @Override
        public boolean matches(Thing thing) {
            for (Filter f : children) {
                if (!f.matches(thing)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return children.stream().map(Filter::toString).collect(Collectors.joining(",", "and(", ")"));
        }
    }

    record Or(List<Filter> children) implements Filter {
        public Or {
            children = List.copyOf(children);
        }

        @Override
        public boolean matches(Thing thing) {
            for (Filter f : children) {
                if (f.matches(thing)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return children.stream().map(Filter::toString).collect(Collectors.joining(",", "or(", ")"));
        }
    }

    record Not(Filter child) implements Filter {
        @Override
        public boolean matches(Thing thing) {
            return !child.matches(thing);
        }

        @Override
        public String toString() {
            return "not(" + child + ")";
        }
    }

    /** Helper for literals in {@link #toString}. */
    final class Rql {
        private Rql() {
        }

        static String literal(ValueKey k) {
            if (k.rank == ValueKey.STRING) {
                return "\"" + k.string.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
            JsonValue v = k.toJson();
            return v.toString();
        }
    }
}
