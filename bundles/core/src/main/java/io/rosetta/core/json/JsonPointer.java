package io.rosetta.core.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A JSON pointer (RFC 6901). Ditto writes pointers with or without the leading slash
 * ({@code attributes/location} and {@code /attributes/location}); both parse to the same pointer.
 * An empty segment ({@code a//b}) or a trailing slash is refused, as Ditto refuses it.
 */
public final class JsonPointer {

    private static final JsonPointer ROOT = new JsonPointer(new String[0]);

    private final String[] segments;
    /** The pointer's text, made on first use (journal records and events write it per change). */
    private transient String text;

    private JsonPointer(String[] segments) {
        this.segments = segments;
    }

    public static JsonPointer empty() {
        return ROOT;
    }

    /** Parses a pointer; throws {@link InvalidJsonPointerException} for malformed text. */
    public static JsonPointer of(String text) {
        Objects.requireNonNull(text, "pointer");
        if (text.isEmpty() || text.equals("/")) {
            return ROOT;
        }
        String body = text.charAt(0) == '/' ? text.substring(1) : text;
        List<String> parts = new ArrayList<>(4);
        int start = 0;
        while (true) {
            int slash = body.indexOf('/', start);
            String raw = slash < 0 ? body.substring(start) : body.substring(start, slash);
            if (raw.isEmpty()) {
                throw new InvalidJsonPointerException(text, "empty segment");
            }
            parts.add(unescape(raw, text));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return new JsonPointer(parts.toArray(new String[0]));
    }

    public static JsonPointer of(String... segments) {
        for (String s : segments) {
            if (s == null || s.isEmpty()) {
                throw new InvalidJsonPointerException(String.join("/", Arrays.asList(segments)), "empty segment");
            }
        }
        return segments.length == 0 ? ROOT : new JsonPointer(segments.clone());
    }

    private static String unescape(String raw, String whole) {
        if (raw.indexOf('~') < 0) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '~') {
                char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
                if (next == '0') {
                    sb.append('~');
                } else if (next == '1') {
                    sb.append('/');
                } else {
                    throw new InvalidJsonPointerException(whole, "'~' must be followed by 0 or 1");
                }
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    public int size() {
        return segments.length;
    }

    public boolean isEmpty() {
        return segments.length == 0;
    }

    public String get(int i) {
        return segments[i];
    }

    public String first() {
        return segments[0];
    }

    public String last() {
        return segments[segments.length - 1];
    }

    /** The pointer without its first {@code n} segments. */
    public JsonPointer skip(int n) {
        if (n == 0) {
            return this;
        }
        return n >= segments.length ? ROOT : new JsonPointer(Arrays.copyOfRange(segments, n, segments.length));
    }

    /** The first {@code n} segments. */
    public JsonPointer prefix(int n) {
        return n >= segments.length ? this : new JsonPointer(Arrays.copyOf(segments, n));
    }

    public JsonPointer append(String segment) {
        if (segment == null || segment.isEmpty()) {
            throw new InvalidJsonPointerException(this + "/", "empty segment");
        }
        String[] s = Arrays.copyOf(segments, segments.length + 1);
        s[segments.length] = segment;
        return new JsonPointer(s);
    }

    public JsonPointer append(JsonPointer other) {
        if (other.isEmpty()) {
            return this;
        }
        String[] s = Arrays.copyOf(segments, segments.length + other.segments.length);
        System.arraycopy(other.segments, 0, s, segments.length, other.segments.length);
        return new JsonPointer(s);
    }

    public boolean startsWith(JsonPointer prefix) {
        if (prefix.segments.length > segments.length) {
            return false;
        }
        for (int i = 0; i < prefix.segments.length; i++) {
            if (!prefix.segments[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof JsonPointer p && Arrays.equals(p.segments, segments);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(segments);
    }

    /** The pointer as RFC 6901 text, always with a leading slash ({@code ""} for the root). */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            StringBuilder sb = new StringBuilder();
            for (String s : segments) {
                sb.append('/');
                if (s.indexOf('~') < 0 && s.indexOf('/') < 0) {
                    sb.append(s);
                } else {
                    sb.append(s.replace("~", "~0").replace("/", "~1"));
                }
            }
            t = sb.toString();
            text = t;
        }
        return t;
    }
}
