package io.rosetta.api.internal.auth;

import io.rosetta.api.security.Authenticator;
import io.rosetta.security.AccessControl;
import io.rosetta.security.Tokens;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.security.auth.login.Configuration;

/** Opens the package-private test constructor and counters of {@link JaasAuthenticator} to tests in other packages. */
public final class JaasAuthenticatorAccess {

    private final JaasAuthenticator authenticator;

    public JaasAuthenticatorAccess(String realm, Configuration configuration, Duration ttl, int maxCached, LongSupplier clock) {
        this(realm, configuration, ttl, maxCached, clock, null, null);
    }

    /** With the access policy and bearer tokens of a real policy store. */
    public JaasAuthenticatorAccess(String realm, Configuration configuration, Duration ttl, int maxCached, LongSupplier clock,
            AccessControl access, Tokens tokens) {
        this.authenticator = new JaasAuthenticator(realm, configuration, ttl, maxCached, clock, access, tokens);
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public long logins() {
        return authenticator.logins();
    }

    public long failures() {
        return authenticator.failures();
    }
}
