package io.rosetta.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the access policy: {@code subject} may act with {@code level} on the things of
 * {@code namespace}. A subject is a user name (as JAAS knows it) or {@code token:<name>}; the
 * namespace is a thing namespace, {@value #EVERY_NAMESPACE} for all of them, or
 * {@value #DEFAULT_NAMESPACE} for the empty (default) namespace.
 */
public record Grant(String subject, String namespace, AccessLevel level) {

    public static final String EVERY_NAMESPACE = "*";
    public static final String DEFAULT_NAMESPACE = "_";
    public static final String TOKEN_PREFIX = "token:";

    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z]\\w*(?:\\.[a-zA-Z]\\w*)*");
    private static final Pattern SUBJECT = Pattern.compile("[^\\s,=:#!\\\\]+|token:[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public Grant {
        Objects.requireNonNull(level, "level");
        subject = checkSubject(subject);
        namespace = checkNamespace(namespace);
    }

    /** The subject a token acts as. */
    public static String tokenSubject(String tokenName) {
        return TOKEN_PREFIX + tokenName;
    }

    /** The key under which a thing's namespace is granted ({@value #DEFAULT_NAMESPACE} for the empty one). */
    public static String namespaceKey(String thingNamespace) {
        return thingNamespace.isEmpty() ? DEFAULT_NAMESPACE : thingNamespace;
    }

    static String checkSubject(String subject) {
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("Invalid subject '" + subject
                    + "': a user name (no spaces, ',', '=', ':', '#', '!', '\\') or token:<name>.");
        }
        return subject;
    }

    static String checkNamespace(String namespace) {
        if (namespace == null || !(namespace.equals(EVERY_NAMESPACE) || namespace.equals(DEFAULT_NAMESPACE)
                || NAMESPACE.matcher(namespace).matches())) {
            throw new IllegalArgumentException("Invalid namespace '" + namespace
                    + "': a thing namespace such as org.example, '*' for every namespace or '_' for the default (empty) one.");
        }
        return namespace;
    }
}
