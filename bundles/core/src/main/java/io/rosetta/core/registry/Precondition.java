package io.rosetta.core.registry;

/**
 * A condition on the current revision, from HTTP's {@code If-Match} / {@code If-None-Match}
 * (entity tags {@code "rev:N"}) or the Ditto protocol's headers.
 */
public record Precondition(Kind kind, long revision) {

    public enum Kind { NONE, REVISION_MATCHES, EXISTS, ABSENT }

    private static final Precondition NONE = new Precondition(Kind.NONE, 0);
    private static final Precondition EXISTS = new Precondition(Kind.EXISTS, 0);
    private static final Precondition ABSENT = new Precondition(Kind.ABSENT, 0);

    public static Precondition none() {
        return NONE;
    }

    /** {@code If-Match: "rev:N"}: the thing exists at exactly this revision. */
    public static Precondition revision(long revision) {
        return new Precondition(Kind.REVISION_MATCHES, revision);
    }

    /** {@code If-Match: *}: the thing exists. */
    public static Precondition exists() {
        return EXISTS;
    }

    /** {@code If-None-Match: *}: the thing does not exist yet. */
    public static Precondition absent() {
        return ABSENT;
    }
}
