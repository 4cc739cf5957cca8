package io.rosetta.security;

import java.util.Set;

/**
 * What one caller may do: a live view of the access policy (a change of the grants applies to the
 * next check, also on open streams). Checks are cheap (a few map look-ups): they may run per event.
 */
public interface Permissions {

    /** Whether the caller may act with {@code level} on the things of {@code thingNamespace} ({@code ""} is the default namespace). */
    boolean allows(String thingNamespace, AccessLevel level);

    /** Whether the caller may read every namespace ({@code READ} or more on {@code *}). */
    boolean readsEverything();

    /**
     * The thing namespaces the caller may read ({@code ""} for the default namespace); meaningful when
     * {@link #readsEverything()} is false.
     */
    Set<String> readableNamespaces();

    /** Whether the caller may read anything at all. */
    default boolean readsAnything() {
        return readsEverything() || !readableNamespaces().isEmpty();
    }

    /** Permissions from the caller's roles alone: the {@value AccessControl#ADMIN_ROLE} role has ADMIN on every namespace. */
    static Permissions ofRoles(Set<String> roles) {
        boolean admin = roles.contains(AccessControl.ADMIN_ROLE);
        return new Permissions() {
            @Override
            public boolean allows(String thingNamespace, AccessLevel level) {
                return admin;
            }

            @Override
            public boolean readsEverything() {
                return admin;
            }

            @Override
            public Set<String> readableNamespaces() {
                return Set.of();
            }
        };
    }
}
