package io.rosetta.api.security;

import io.rosetta.security.Permissions;
import java.util.Set;

/**
 * Who made a request: the user's name (or {@code token:<name>} for a bearer token), the roles JAAS gave
 * them, and what they may do ({@link Permissions}, a live view of the access policy).
 */
public record ApiUser(String name, Set<String> roles, Permissions permissions) {

    public ApiUser {
        roles = Set.copyOf(roles);
    }

    /** A user whose permissions come from their roles alone (the {@code admin} role: ADMIN on every namespace). */
    public ApiUser(String name, Set<String> roles) {
        this(name, roles, Permissions.ofRoles(Set.copyOf(roles)));
    }
}
