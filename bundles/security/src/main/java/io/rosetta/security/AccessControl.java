package io.rosetta.security;

import java.util.List;
import java.util.Set;

/**
 * The access policy of the API, a simplified Ditto policy: grants of an {@link AccessLevel} on a namespace
 * (or {@code *}) to a user or a token. Callers in the JAAS role {@value #ADMIN_ROLE} (Karaf's administrators)
 * have ADMIN on every namespace. Grants are persisted and survive restarts.
 */
public interface AccessControl {

    /** The JAAS role whose members have ADMIN on every namespace. */
    String ADMIN_ROLE = "admin";

    /**
     * The permissions of a caller known by several subjects (a user; a token and the user it acts for) and roles:
     * the union of their grants.
     */
    Permissions permissions(Set<String> subjects, Set<String> roles);

    /** Every grant, sorted by subject and namespace. */
    List<Grant> grants();

    /**
     * Gives {@code subject} the level on the namespace, replacing the level it had there.
     *
     * @throws IllegalArgumentException for an invalid subject or namespace, or a token that does not exist
     * @throws java.io.UncheckedIOException when the policy cannot be saved (nothing changes then)
     */
    Grant grant(String subject, String namespace, AccessLevel level);

    /**
     * Removes the grant of {@code subject} on the namespace.
     *
     * @return whether there was one
     */
    boolean revoke(String subject, String namespace);
}
