package io.rosetta.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens of the API ({@code Authorization: Bearer <token>}). A token is 256 random bits; only
 * its SHA-256 digest is stored (a secret of that entropy cannot be found from its digest, so a slow
 * password hash adds nothing), so it is shown once, when created. A token acts as the subject
 * {@code token:<name>} and, if it was created for a user, also with that user's grants.
 */
public interface Tokens {

    /** A token's public facts. {@code user} is null for a token of its own; {@code expires} null for one that does not expire. */
    record TokenInfo(String name, String user, Instant created, Instant expires) {

        public boolean expiredAt(Instant now) {
            return expires != null && !now.isBefore(expires);
        }

        /** The subject the token acts as. */
        public String subject() {
            return Grant.tokenSubject(name);
        }
    }

    /** A new token: the secret is in no other place, it cannot be shown again. */
    record IssuedToken(TokenInfo info, String secret) {

        @Override
        public String toString() {
            return "IssuedToken[" + info + "]";
        }
    }

    /**
     * Creates a token.
     *
     * @param user the user it acts for, or null
     * @param expires when it stops working, or null
     * @throws IllegalArgumentException for an invalid or taken name, or an expiry in the past
     */
    IssuedToken create(String name, String user, Instant expires);

    /** The tokens, by name (expired ones included, marked by their expiry). */
    List<TokenInfo> list();

    /**
     * Revokes a token, and removes its grants.
     *
     * @return whether it existed
     */
    boolean revoke(String name);

    /** The token whose secret this is, if it exists and has not expired. */
    Optional<TokenInfo> verify(String secret);
}
