package io.rosetta.security.internal;

import io.rosetta.security.AccessControl;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.Grant;
import io.rosetta.security.Permissions;
import io.rosetta.security.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access policy and the bearer tokens, kept in memory as immutable snapshots and persisted in two
 * line files of {@code ${karaf.etc}}: {@code rosetta.grants} ({@code subject namespace LEVEL}) and
 * {@code rosetta.tokens} ({@code name sha256 user|- created expires|-}; the token itself is never stored).
 * Every change rewrites its file atomically before the new snapshot is published, so a failed write
 * changes nothing.
 */
@Component(service = {AccessControl.class, Tokens.class})
public final class PolicyStore implements AccessControl, Tokens {

    static final String GRANTS_FILE = "rosetta.grants";
    static final String TOKENS_FILE = "rosetta.tokens";
    static final String TOKEN_PREFIX = "rst_";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);
    private static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int TOKEN_BYTES = 32;

    /** The grants: subject → namespace key → level. Replaced, never changed. */
    private record Policy(Map<String, Map<String, AccessLevel>> bySubject) {
    }

    private record StoredToken(TokenInfo info, String digest) {
    }

    /** Tokens by name and by digest. Replaced, never changed. */
    private record TokenTable(Map<String, StoredToken> byName, Map<String, StoredToken> byDigest) {
    }

    private final Path grantsFile;
    private final Path tokensFile;
    private final Clock clock;
    private final SecureRandom random;
    private volatile Policy policy;
    private volatile TokenTable tokens;

    @Activate
    public PolicyStore() {
        this(Path.of(System.getProperty("karaf.etc", "etc")), Clock.systemUTC(), new SecureRandom());
    }

    /** A store whose files are in {@code directory}, for tests of the bundles that enforce the policy. */
    public static PolicyStore in(Path directory) {
        return new PolicyStore(directory, Clock.systemUTC(), new SecureRandom());
    }

    PolicyStore(Path directory, Clock clock, SecureRandom random) {
        this.grantsFile = directory.resolve(GRANTS_FILE);
        this.tokensFile = directory.resolve(TOKENS_FILE);
        this.clock = clock;
        this.random = random;
        this.policy = loadPolicy();
        this.tokens = loadTokens();
    }

    // ---- grants ---------------------------------------------------------------------------------

    @Override
    public Permissions permissions(Set<String> subjects, Set<String> roles) {
        return new LivePermissions(Set.copyOf(subjects), roles.contains(ADMIN_ROLE));
    }

    @Override
    public List<Grant> grants() {
        List<Grant> all = new ArrayList<>();
        new TreeMap<>(policy.bySubject()).forEach((subject, levels) ->
                new TreeMap<>(levels).forEach((ns, level) -> all.add(new Grant(subject, ns, level))));
        return all;
    }

    @Override
    public synchronized Grant grant(String subject, String namespace, AccessLevel level) {
        Grant grant = new Grant(subject, namespace, level);
        if (grant.subject().startsWith(Grant.TOKEN_PREFIX) && !tokens.byName().containsKey(grant.subject().substring(Grant.TOKEN_PREFIX.length()))) {
            // a grant waiting for a token of that name would silently empower whoever creates it later
            throw new IllegalArgumentException("No token named '" + grant.subject().substring(Grant.TOKEN_PREFIX.length())
                    + "': create it first (rosetta:token create).");
        }
        Map<String, Map<String, AccessLevel>> next = copy(policy.bySubject());
        next.computeIfAbsent(grant.subject(), s -> new HashMap<>()).put(grant.namespace(), level);
        savePolicy(next);
        return grant;
    }

    @Override
    public synchronized boolean revoke(String subject, String namespace) {
        Map<String, AccessLevel> levels = policy.bySubject().get(subject);
        if (levels == null || !levels.containsKey(namespace)) {
            return false;
        }
        Map<String, Map<String, AccessLevel>> next = copy(policy.bySubject());
        next.get(subject).remove(namespace);
        if (next.get(subject).isEmpty()) {
            next.remove(subject);
        }
        savePolicy(next);
        return true;
    }

    private void savePolicy(Map<String, Map<String, AccessLevel>> next) {
        StringBuilder text = new StringBuilder("# Rosetta access policy: subject namespace level (managed with rosetta:grant)\n");
        new TreeMap<>(next).forEach((subject, levels) -> new TreeMap<>(levels).forEach((ns, level) ->
                text.append(subject).append(' ').append(ns).append(' ').append(level).append('\n')));
        try {
            PolicyFiles.replace(grantsFile, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("The access policy could not be saved to " + grantsFile + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, AccessLevel>> frozen = new HashMap<>();
        next.forEach((s, l) -> frozen.put(s, Map.copyOf(l)));
        policy = new Policy(Map.copyOf(frozen));
    }

    private Policy loadPolicy() {
        Map<String, Map<String, AccessLevel>> loaded = new HashMap<>();
        try {
            for (String line : PolicyFiles.lines(grantsFile)) {
                String[] parts = line.split("\\s+");
                try {
                    if (parts.length != 3) {
                        throw new IllegalArgumentException("expected: subject namespace level");
                    }
                    Grant g = new Grant(parts[0], parts[1], AccessLevel.parse(parts[2]));
                    loaded.computeIfAbsent(g.subject(), s -> new HashMap<>()).put(g.namespace(), g.level());
                } catch (IllegalArgumentException e) {
                    LOG.error("Ignoring the line '{}' of {}: {}", line, grantsFile, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The access policy " + grantsFile + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, Map<String, AccessLevel>> frozen = new HashMap<>();
        loaded.forEach((s, l) -> frozen.put(s, Map.copyOf(l)));
        return new Policy(Map.copyOf(frozen));
    }

    private static Map<String, Map<String, AccessLevel>> copy(Map<String, Map<String, AccessLevel>> bySubject) {
        Map<String, Map<String, AccessLevel>> copy = new HashMap<>();
        bySubject.forEach((s, l) -> copy.put(s, new HashMap<>(l)));
        return copy;
    }

    /** The union of the subjects' grants, recomputed when the policy changes. */
    private final class LivePermissions implements Permissions {

        private record Computed(Policy policy, Map<String, AccessLevel> levels, Set<String> readable) {
        }

        private final Set<String> subjects;
        private final boolean admin;
        private volatile Computed computed;

        LivePermissions(Set<String> subjects, boolean admin) {
            this.subjects = subjects;
            this.admin = admin;
        }

        private Computed current() {
            Policy p = policy;
            Computed c = computed;
            if (c == null || c.policy() != p) {
                Map<String, AccessLevel> levels = new HashMap<>();
                for (String subject : subjects) {
                    p.bySubject().getOrDefault(subject, Map.of())
                            .forEach((ns, level) -> levels.merge(ns, level, (a, b) -> a.includes(b) ? a : b));
                }
                Set<String> readable = new java.util.HashSet<>();
                levels.keySet().forEach(ns -> {
                    if (!ns.equals(Grant.EVERY_NAMESPACE)) {
                        readable.add(ns.equals(Grant.DEFAULT_NAMESPACE) ? "" : ns);
                    }
                });
                c = new Computed(p, Map.copyOf(levels), Set.copyOf(readable));
                computed = c;
            }
            return c;
        }

        @Override
        public boolean allows(String thingNamespace, AccessLevel level) {
            if (admin) {
                return true;
            }
            Map<String, AccessLevel> levels = current().levels();
            AccessLevel every = levels.get(Grant.EVERY_NAMESPACE);
            if (every != null && every.includes(level)) {
                return true;
            }
            AccessLevel own = levels.get(Grant.namespaceKey(thingNamespace));
            return own != null && own.includes(level);
        }

        @Override
        public boolean readsEverything() {
            return admin || current().levels().containsKey(Grant.EVERY_NAMESPACE);
        }

        @Override
        public Set<String> readableNamespaces() {
            return current().readable();
        }
    }

    // ---- tokens ---------------------------------------------------------------------------------

    @Override
    public synchronized IssuedToken create(String name, String user, Instant expires) {
        if (name == null || !TOKEN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid token name '" + name + "': 1 to 64 of A-Z a-z 0-9 . _ - (starting with a letter or digit).");
        }
        if (tokens.byName().containsKey(name)) {
            throw new IllegalArgumentException("A token named '" + name + "' exists already: revoke it first.");
        }
        if (user != null) {
            new Grant(user, Grant.EVERY_NAMESPACE, AccessLevel.READ); // validates the user name
            if (user.startsWith(Grant.TOKEN_PREFIX)) {
                throw new IllegalArgumentException("A token acts for a user, not for another token.");
            }
        }
        Instant now = clock.instant();
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("The expiry " + expires + " is not in the future.");
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        TokenInfo info = new TokenInfo(name, user, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                expires == null ? null : expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Map<String, StoredToken> next = new LinkedHashMap<>(tokens.byName());
        next.put(name, new StoredToken(info, digest(secret)));
        saveTokens(next);
        return new IssuedToken(info, secret);
    }

    @Override
    public List<TokenInfo> list() {
        return tokens.byName().values().stream().map(StoredToken::info).sorted(Comparator.comparing(TokenInfo::name)).toList();
    }

    @Override
    public synchronized boolean revoke(String name) {
        if (!tokens.byName().containsKey(name)) {
            return false;
        }
        Map<String, StoredToken> next = new LinkedHashMap<>(tokens.byName());
        next.remove(name);
        saveTokens(next);
        String subject = Grant.tokenSubject(name);
        if (policy.bySubject().containsKey(subject)) {
            Map<String, Map<String, AccessLevel>> grants = copy(policy.bySubject());
            grants.remove(subject);
            savePolicy(grants);
        }
        return true;
    }

    @Override
    public Optional<TokenInfo> verify(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX) || secret.length() > 128) {
            return Optional.empty();
        }
        StoredToken stored = tokens.byDigest().get(digest(secret));
        if (stored == null || stored.info().expiredAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(stored.info());
    }

    private void saveTokens(Map<String, StoredToken> next) {
        StringBuilder text = new StringBuilder("# Rosetta API tokens: name sha256(token) user|- created expires|- (managed with rosetta:token)\n");
        new TreeMap<>(next).values().forEach(t -> text.append(t.info().name()).append(' ').append(t.digest()).append(' ')
                .append(t.info().user() == null ? "-" : t.info().user()).append(' ')
                .append(t.info().created()).append(' ')
                .append(t.info().expires() == null ? "-" : t.info().expires()).append('\n'));
        try {
            PolicyFiles.replace(tokensFile, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("The tokens could not be saved to " + tokensFile + ": " + e.getMessage(), e);
        }
        tokens = table(next);
    }

    private TokenTable loadTokens() {
        Map<String, StoredToken> loaded = new LinkedHashMap<>();
        try {
            for (String line : PolicyFiles.lines(tokensFile)) {
                String[] p = line.split("\\s+");
                try {
                    if (p.length != 5 || !TOKEN_NAME.matcher(p[0]).matches() || !p[1].matches("[0-9a-f]{64}")) {
                        throw new IllegalArgumentException("expected: name sha256 user|- created expires|-");
                    }
                    TokenInfo info = new TokenInfo(p[0], p[2].equals("-") ? null : p[2], Instant.parse(p[3]),
                            p[4].equals("-") ? null : Instant.parse(p[4]));
                    loaded.put(info.name(), new StoredToken(info, p[1]));
                } catch (RuntimeException e) {
                    LOG.error("Ignoring a line of {} (token '{}'): {}", tokensFile, p[0], e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The tokens " + tokensFile + " cannot be read: " + e.getMessage(), e);
        }
        return table(loaded);
    }

    private static TokenTable table(Map<String, StoredToken> byName) {
        Map<String, StoredToken> byDigest = new HashMap<>();
        byName.values().forEach(t -> byDigest.put(t.digest(), t));
        return new TokenTable(Map.copyOf(byName), Map.copyOf(byDigest));
    }

    static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
