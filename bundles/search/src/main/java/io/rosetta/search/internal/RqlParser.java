package io.rosetta.search.internal;

import io.rosetta.core.json.JsonNumber;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser of the RQL that Ditto's search speaks. The grammar of a filter:
 *
 * <pre>
 * query    = logical | relation | "exists(" property ")"
 * logical  = ("and" | "or") "(" query { "," query } ")" | "not(" query ")"
 * relation = ("eq" | "ne" | "gt" | "ge" | "lt" | "le" | "like" | "ilike") "(" property "," value ")"
 *          | "in(" property "," value { "," value } ")"
 * value    = number | '"' chars '"' | "'" chars "'" | "true" | "false" | "null"
 * property = word   (a JSON pointer into the thing, see {@link FieldPath})
 * </pre>
 *
 * and of the options: {@code option = opt { "," opt }} with {@code sort(±property, ...)},
 * {@code size(n)}, {@code cursor(word)} and {@code limit(offset,count)}. Whitespace between
 * tokens is allowed (a URL-decoded {@code +} is a space, so {@code sort( thingId)} sorts ascending).
 * Errors are {@link RqlException}s naming the position.
 */
public final class RqlParser {

    /** The deepest nesting of logical operators accepted. */
    static final int MAX_DEPTH = 32;
    /** The most values of one {@code in}. */
    static final int MAX_IN_VALUES = 1000;

    private final String text;
    private int pos;
    private int depth;

    private RqlParser(String text) {
        this.text = text;
    }

    /** Parses a filter; a blank text is the filter that matches every thing. */
    public static Filter parseFilter(String text) {
        if (text == null || text.isBlank()) {
            return new Filter.All();
        }
        RqlParser p = new RqlParser(text);
        Filter f = p.query();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' after the end of the filter");
        }
        return f;
    }

    /** Parses the {@code option} parameter. */
    public static SearchOptions parseOptions(String text) {
        SearchOptions.Builder b = SearchOptions.newBuilder();
        if (text == null || text.isBlank()) {
            return b.build();
        }
        RqlParser p = new RqlParser(text);
        p.options(b);
        return b.build();
    }

    // ---- filter ----------------------------------------------------------------------------

    private Filter query() {
        skipSpace();
        int start = pos;
        String name = word();
        if (name.isEmpty()) {
            throw error(pos < text.length() ? "expected an operator such as eq, and, exists but found '" + text.charAt(pos) + "'"
                    : "expected an operator such as eq, and, exists but the filter ended");
        }
        expect('(', "after '" + name + "'");
        Filter f = switch (name) {
            case "and", "or" -> logical(name);
            case "not" -> {
                enter(start);
                Filter child = query();
                depth--;
                yield new Filter.Not(child);
            }
            case "eq", "ne", "gt", "ge", "lt", "le" -> {
                FieldPath path = property();
                expect(',', "after the property of '" + name + "'");
                ValueKey value = value(path);
                yield new Filter.Compare(Filter.Op.valueOf(name.toUpperCase(java.util.Locale.ROOT)), path, value);
            }
            case "in" -> {
                FieldPath path = property();
                Set<ValueKey> values = new LinkedHashSet<>();
                do {
                    expect(',', "before a value of 'in'");
                    values.add(value(path));
                    if (values.size() > MAX_IN_VALUES) {
                        throw error("'in' accepts at most " + MAX_IN_VALUES + " values");
                    }
                    skipSpace();
                } while (peek() == ',');
                yield new Filter.In(path, values);
            }
            case "like", "ilike" -> {
                FieldPath path = property();
                expect(',', "after the property of '" + name + "'");
                skipSpace();
                int at = pos;
                char c = peek();
                if (c != '"' && c != '\'') {
                    throw error("'" + name + "' needs a quoted string pattern");
                }
                String pattern = string();
                if (pattern.isEmpty()) {
                    pos = at;
                    throw error("the pattern of '" + name + "' is empty");
                }
                yield new Filter.Like(path, pattern, name.equals("ilike"));
            }
            case "exists" -> new Filter.Exists(property());
            default -> {
                pos = start;
                throw error("unknown operator '" + name + "' (known: eq, ne, gt, ge, lt, le, in, like, ilike, exists, and, or, not)");
            }
        };
        expect(')', "to close '" + name + "('");
        return f;
    }

    private Filter logical(String name) {
        enter(pos);
        List<Filter> children = new ArrayList<>();
        children.add(query());
        skipSpace();
        while (peek() == ',') {
            pos++;
            children.add(query());
            skipSpace();
        }
        depth--;
        return name.equals("and") ? new Filter.And(children) : new Filter.Or(children);
    }

    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            pos = at;
            throw error("the filter nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private FieldPath property() {
        skipSpace();
        int start = pos;
        String word = word();
        if (word.isEmpty()) {
            throw error("expected a property such as attributes/location");
        }
        try {
            return FieldPath.of(word);
        } catch (IllegalArgumentException e) {
            pos = start;
            throw error("invalid property: " + e.getMessage());
        }
    }

    private ValueKey value(FieldPath path) {
        skipSpace();
        int start = pos;
        char c = peek();
        ValueKey key;
        if (c == '"' || c == '\'') {
            String s = string();
            if (path.isTime()) {
                try {
                    return ValueKey.of((double) Instant.parse(s).toEpochMilli());
                } catch (DateTimeParseException e) {
                    pos = start;
                    throw error("'" + path + "' is a time: write it as ISO-8601, e.g. \"2024-05-01T12:00:00Z\"");
                }
            }
            return ValueKey.of(s);
        }
        String word = word();
        switch (word) {
            case "" -> throw error(pos < text.length() ? "expected a value but found '" + text.charAt(pos) + "'"
                    : "expected a value but the filter ended");
            case "true" -> key = ValueKey.of(true);
            case "false" -> key = ValueKey.of(false);
            case "null" -> key = ValueKey.NULL_KEY;
            default -> {
                if (!isNumber(word)) {
                    pos = start;
                    throw error("'" + word + "' is not a value: quote strings (\"" + word + "\"), numbers are written 42 or -1.5");
                }
                key = ValueKey.of(JsonNumber.of(new BigDecimal(word)).doubleValue());
            }
        }
        return key;
    }

    /** JSON number syntax, checked by hand: -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)? */
    private static boolean isNumber(String w) {
        int i = 0;
        int n = w.length();
        if (i < n && w.charAt(i) == '-') {
            i++;
        }
        int digits = i;
        while (i < n && Character.isDigit(w.charAt(i)) && w.charAt(i) < 128) {
            i++;
        }
        if (i == digits || w.charAt(digits) == '0' && i - digits > 1) {
            return false;
        }
        if (i < n && w.charAt(i) == '.') {
            int f = ++i;
            while (i < n && w.charAt(i) >= '0' && w.charAt(i) <= '9') {
                i++;
            }
            if (i == f) {
                return false;
            }
        }
        if (i < n && (w.charAt(i) == 'e' || w.charAt(i) == 'E')) {
            i++;
            if (i < n && (w.charAt(i) == '+' || w.charAt(i) == '-')) {
                i++;
            }
            int e = i;
            while (i < n && w.charAt(i) >= '0' && w.charAt(i) <= '9') {
                i++;
            }
            if (i == e) {
                return false;
            }
        }
        return i == n;
    }

    /** A quoted string; {@code \} escapes the next character. */
    private String string() {
        char quote = text.charAt(pos);
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                sb.append(text.charAt(pos++));
            } else {
                sb.append(c);
            }
        }
        pos = start;
        throw error("the string starting here is not closed with " + quote);
    }

    // ---- options ---------------------------------------------------------------------------

    private void options(SearchOptions.Builder b) {
        do {
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            }
            int start = pos;
            String name = word();
            if (name.isEmpty()) {
                throw error("expected an option: sort(..), size(..), cursor(..) or limit(..)");
            }
            expect('(', "after '" + name + "'");
            switch (name) {
                case "sort" -> {
                    if (b.hasSort()) {
                        pos = start;
                        throw error("sort is given twice");
                    }
                    List<SortKey> keys = new ArrayList<>();
                    do {
                        skipSpace();
                        if (peek() == ',') {
                            pos++;
                            skipSpace();
                        }
                        boolean ascending = true;
                        if (peek() == '+' || peek() == '-') {
                            ascending = text.charAt(pos++) == '+';
                        }
                        keys.add(new SortKey(property(), ascending));
                        skipSpace();
                    } while (peek() == ',');
                    b.sort(keys);
                }
                case "size" -> b.size(integer(name, 1, SearchOptions.MAX_SIZE));
                case "cursor" -> {
                    skipSpace();
                    String cursor = word();
                    if (cursor.isEmpty()) {
                        throw error("expected the cursor of a previous answer");
                    }
                    b.cursor(cursor);
                }
                case "limit" -> {
                    int offset = integer(name, 0, SearchOptions.MAX_OFFSET);
                    expect(',', "between the offset and the count of 'limit'");
                    b.limit(offset, integer(name, 1, SearchOptions.MAX_SIZE));
                }
                default -> {
                    pos = start;
                    throw error("unknown option '" + name + "' (known: sort, size, cursor, limit)");
                }
            }
            expect(')', "to close '" + name + "('");
            skipSpace();
        } while (peek() == ',');
        if (pos < text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "' after the options");
        }
        if (b.hasCursor() && b.hasLimit()) {
            throw new RqlException(text, 0, "cursor and limit cannot be combined");
        }
    }

    private int integer(String option, int min, int max) {
        skipSpace();
        int start = pos;
        String w = word();
        long v;
        try {
            v = Long.parseLong(w);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("'" + option + "' needs a whole number but got '" + w + "'");
        }
        if (v < min || v > max) {
            pos = start;
            throw error("'" + option + "' must be between " + min + " and " + max + " but is " + v);
        }
        return (int) v;
    }

    // ---- tokens ----------------------------------------------------------------------------

    /** A run of characters other than parentheses, comma, quotes and whitespace. */
    private String word() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '(' || c == ')' || c == ',' || c == '"' || c == '\'' || Character.isWhitespace(c)) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c, String where) {
        skipSpace();
        if (pos >= text.length()) {
            throw error("expected '" + c + "' " + where + " but the text ended");
        }
        if (text.charAt(pos) != c) {
            throw error("expected '" + c + "' " + where + " but found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private RqlException error(String problem) {
        return new RqlException(text, pos, problem);
    }
}
