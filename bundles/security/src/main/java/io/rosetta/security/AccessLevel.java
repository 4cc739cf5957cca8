package io.rosetta.security;

import java.util.Locale;

/** How much a subject may do in a namespace; each level includes the ones before it. */
public enum AccessLevel {
    /** Retrieve things, search them, receive their events. */
    READ,
    /** Also create, modify and delete things. */
    WRITE,
    /** Everything, including administration; the administrator has ADMIN on {@code *}. */
    ADMIN;

    /** Whether this level allows what {@code needed} allows. */
    public boolean includes(AccessLevel needed) {
        return compareTo(needed) >= 0;
    }

    /** Parses a level, ignoring case. */
    public static AccessLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Unknown access level '" + text + "': use READ, WRITE or ADMIN.");
        }
    }
}
