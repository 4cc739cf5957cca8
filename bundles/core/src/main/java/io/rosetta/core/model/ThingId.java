package io.rosetta.core.model;

import java.util.Objects;

/**
 * A thing's id, {@code namespace:name}, validated as Eclipse Ditto validates it: the namespace is
 * empty or a dot-separated sequence of identifiers (Java package style), the name is 1..256
 * characters without control characters and without '/'.
 */
public final class ThingId implements Comparable<ThingId> {

    public static final int MAX_LENGTH = 256;

    private final String namespace;
    private final String name;
    private final String text;

    private ThingId(String namespace, String name, String text) {
        this.namespace = namespace;
        this.name = name;
        this.text = text;
    }

    public static ThingId of(String namespace, String name) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        String text = namespace + ":" + name;
        validate(namespace, name, text);
        return new ThingId(namespace, name, text);
    }

    /** Parses {@code namespace:name}; throws {@link InvalidIdException} when it is not one. */
    public static ThingId of(String text) {
        if (text == null) {
            throw new InvalidIdException("null", "a thing id is required");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new InvalidIdException(text, "it must have the form 'namespace:name'");
        }
        String namespace = text.substring(0, colon);
        String name = text.substring(colon + 1);
        validate(namespace, name, text);
        return new ThingId(namespace, name, text);
    }

    public static boolean isValid(String text) {
        try {
            of(text);
            return true;
        } catch (InvalidIdException e) {
            return false;
        }
    }

    private static void validate(String namespace, String name, String text) {
        if (text.length() > MAX_LENGTH) {
            throw new InvalidIdException(text, "it is longer than " + MAX_LENGTH + " characters");
        }
        if (!validNamespace(namespace)) {
            throw new InvalidIdException(text, "the namespace must be empty or dot-separated identifiers such as 'org.example'");
        }
        if (name.isEmpty()) {
            throw new InvalidIdException(text, "the name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/') {
                throw new InvalidIdException(text, "the name must not contain '/' or control characters");
            }
        }
    }

    /** {@code ""} or dot-separated identifiers ({@code [a-zA-Z]\w*}), without a regular expression: ids are made per message. */
    static boolean validNamespace(String namespace) {
        boolean segmentStart = true;
        for (int i = 0; i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (segmentStart) {
                if (!letter) {
                    return false;
                }
                segmentStart = false;
            } else if (c == '.') {
                segmentStart = true;
            } else if (!letter && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return !segmentStart || namespace.isEmpty();
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    @Override
    public int compareTo(ThingId o) {
        return text.compareTo(o.text);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ThingId t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
