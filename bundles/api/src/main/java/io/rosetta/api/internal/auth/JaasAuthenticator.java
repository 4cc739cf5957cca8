package io.rosetta.api.internal.auth;

import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.security.AccessControl;
import io.rosetta.security.Permissions;
import io.rosetta.security.Tokens;
import io.rosetta.security.Tokens.TokenInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens ({@link Tokens}, checked on every request, so that a revocation applies at once) and
 * HTTP Basic authentication against a JAAS realm ({@code karaf} by default: the users of
 * {@code etc/users.properties}). A successful login is remembered for a short while under a
 * SHA-256 digest of the header, so that a client sending the same credentials is not logged in on
 * every request; failed logins are never remembered and are counted. Every caller gets its
 * {@link Permissions} from the {@link AccessControl}.
 *
 * <p>Concurrent requests with the same new credentials share one login (single flight): a client that
 * opens many connections at once with a password the cache does not hold yet costs the realm one
 * password check (bcrypt in Karaf's realm when hashed), not one per request.
 */
@Component(service = Authenticator.class, configurationPid = "io.rosetta.api")
@Designate(ocd = ApiAuthConfig.class)
public final class JaasAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);
    private static final String ROLE_PRINCIPAL = "RolePrincipal";

    private record Login(ApiUser user, long expiresAtNanos) {
    }

    private final String realm;
    private final Configuration configuration;
    private final long ttlNanos;
    private final int maxCached;
    private final LongSupplier clock;
    private final AccessControl access;
    private final Tokens tokens;
    private final Map<String, Login> cache = new ConcurrentHashMap<>();
    /** Logins running now, by the digest of their header: later requests with the same header wait for the result. */
    private final Map<String, CompletableFuture<ApiUser>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder shared = new LongAdder();
    private final LongAdder logins = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /** Uses the Karaf realm named by {@code auth.realm} (the highest ranked one of that name). */
    @Activate
    public JaasAuthenticator(
            @Reference(service = JaasRealm.class, cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
            List<JaasRealm> realms, @Reference AccessControl access, @Reference Tokens tokens, ApiAuthConfig config) {
        this(config.auth_realm(), configurationOf(realms, config.auth_realm()), Duration.ofSeconds(config.auth_cache_seconds()),
                config.auth_cache_size(), System::nanoTime, access, tokens);
    }

    JaasAuthenticator(String realm, Configuration configuration, Duration ttl, int maxCached, LongSupplier clock,
            AccessControl access, Tokens tokens) {
        this.access = access;
        this.tokens = tokens;
        this.realm = realm;
        this.configuration = configuration;
        this.ttlNanos = ttl.toNanos();
        this.maxCached = maxCached;
        this.clock = clock;
    }

    private static Configuration configurationOf(List<JaasRealm> realms, String name) {
        JaasRealm realm = realms.stream().filter(r -> name.equals(r.getName()))
                .max(Comparator.comparingInt(JaasRealm::getRank))
                .orElseThrow(() -> new IllegalStateException("No JAAS realm named '" + name + "' (auth.realm in etc/io.rosetta.api.cfg); known: "
                        + realms.stream().map(JaasRealm::getName).toList()));
        AppConfigurationEntry[] entries = realm.getEntries();
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String requested) {
                return name.equals(requested) ? entries : null;
            }
        };
    }

    @Override
    public ApiUser authenticate(String header) {
        if (header == null || header.isBlank()) {
            throw Authenticator.unauthenticated("Authentication is required.");
        }
        String trimmed = header.trim();
        if (trimmed.length() > 7 && trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(trimmed.substring(7).trim());
        }
        String key = digest(header);
        ApiUser cached = cached(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<ApiUser> mine = new CompletableFuture<>();
        CompletableFuture<ApiUser> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return awaitShared(running);
        }
        try {
            // a login with this header may have finished between the cache lookup and taking the flight
            ApiUser user = cached(key);
            if (user == null) {
                String[] credentials = parse(header);
                user = login(credentials[0], credentials[1].toCharArray());
                remember(key, user);
            }
            mine.complete(user);
            return user;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private ApiUser cached(String key) {
        Login login = cache.get(key);
        return login != null && clock.getAsLong() - login.expiresAtNanos() < 0 ? login.user() : null;
    }

    private void remember(String key, ApiUser user) {
        if (ttlNanos <= 0) {
            return;
        }
        long now = clock.getAsLong();
        if (cache.size() >= maxCached) {
            cache.values().removeIf(l -> now - l.expiresAtNanos() >= 0);
            if (cache.size() >= maxCached) {
                cache.clear();
            }
        }
        cache.put(key, new Login(user, now + ttlNanos));
    }

    /** The outcome of the login another request with the same header is running; a refusal is counted for this request too. */
    private ApiUser awaitShared(CompletableFuture<ApiUser> running) {
        shared.increment();
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                failures.increment();
                throw refused;
            }
            throw e;
        }
    }

    private ApiUser bearer(String secret) {
        Optional<TokenInfo> token = tokens == null ? Optional.empty() : tokens.verify(secret);
        if (token.isEmpty()) {
            failures.increment();
            throw Authenticator.unauthenticated("The bearer token is not valid (unknown, revoked or expired).");
        }
        TokenInfo info = token.get();
        Set<String> subjects = info.user() == null ? Set.of(info.subject()) : Set.of(info.subject(), info.user());
        return new ApiUser(info.subject(), Set.of(), access.permissions(subjects, Set.of()));
    }

    /** Logins done against the realm (cache misses that succeeded) and refused credentials. */
    long logins() {
        return logins.sum();
    }

    long failures() {
        return failures.sum();
    }

    /** Requests that waited for a login of the same credentials already running instead of running their own. */
    long sharedLogins() {
        return shared.sum();
    }

    private String[] parse(String header) {
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            failures.increment();
            throw Authenticator.unauthenticated("Only HTTP Basic and Bearer authentication are supported.");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            failures.increment();
            throw Authenticator.unauthenticated("The Basic credentials are not valid Base64.");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            failures.increment();
            throw Authenticator.unauthenticated("The Basic credentials must have the form user:password.");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private ApiUser login(String name, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's login modules (Karaf: org.apache.karaf.jaas.boot.ProxyLoginModule) through it
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback n) {
                        n.setName(name);
                    } else if (callback instanceof PasswordCallback p) {
                        p.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            }, configuration);
            context.login();
            logins.increment();
            Set<String> roles = new HashSet<>();
            for (Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals(ROLE_PRINCIPAL) || p.getClass().getSimpleName().equals("GroupPrincipal")) {
                    roles.add(p.getName());
                }
            }
            return access == null ? new ApiUser(name, roles) : new ApiUser(name, roles, access.permissions(Set.of(name), roles));
        } catch (LoginException e) {
            failures.increment();
            LOG.debug("Login of '{}' refused: {}", name, e.getMessage());
            throw Authenticator.unauthenticated("The credentials are not valid.");
        } finally {
            thread.setContextClassLoader(previous);
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static String digest(String header) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(header.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
