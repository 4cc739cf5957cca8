package io.rosetta.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.security.AccessLevel;
import io.rosetta.security.Grant;
import io.rosetta.security.Permissions;
import io.rosetta.security.Tokens.IssuedToken;
import io.rosetta.security.Tokens.TokenInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private PolicyStore store() {
        return new PolicyStore(dir, clock, new SecureRandom());
    }

    @Test
    void levelsIncludeLowerOnesPerNamespace() {
        PolicyStore store = store();
        store.grant("alice", "org.a", AccessLevel.WRITE);
        store.grant("alice", "org.b", AccessLevel.READ);
        Permissions p = store.permissions(Set.of("alice"), Set.of());
        assertThat(p.allows("org.a", AccessLevel.READ)).isTrue();
        assertThat(p.allows("org.a", AccessLevel.WRITE)).isTrue();
        assertThat(p.allows("org.a", AccessLevel.ADMIN)).isFalse();
        assertThat(p.allows("org.b", AccessLevel.WRITE)).isFalse();
        assertThat(p.allows("org.c", AccessLevel.READ)).isFalse();
        assertThat(p.readsEverything()).isFalse();
        assertThat(p.readableNamespaces()).containsExactlyInAnyOrder("org.a", "org.b");
    }

    @Test
    void wildcardDefaultNamespaceAndAdminRole() {
        PolicyStore store = store();
        store.grant("bob", "*", AccessLevel.READ);
        store.grant("carol", "_", AccessLevel.WRITE);
        Permissions bob = store.permissions(Set.of("bob"), Set.of());
        assertThat(bob.readsEverything()).isTrue();
        assertThat(bob.allows("any.ns", AccessLevel.READ)).isTrue();
        assertThat(bob.allows("any.ns", AccessLevel.WRITE)).isFalse();
        Permissions carol = store.permissions(Set.of("carol"), Set.of());
        assertThat(carol.allows("", AccessLevel.WRITE)).isTrue();
        assertThat(carol.readableNamespaces()).containsExactly("");
        Permissions admin = store.permissions(Set.of("root"), Set.of("admin"));
        assertThat(admin.allows("x", AccessLevel.ADMIN)).isTrue();
        assertThat(admin.readsEverything()).isTrue();
        assertThat(store.permissions(Set.of("nobody"), Set.of("viewer")).readsAnything()).isFalse();
    }

    @Test
    void permissionsFollowChangesOfThePolicy() {
        PolicyStore store = store();
        Permissions p = store.permissions(Set.of("alice"), Set.of());
        assertThat(p.allows("org.a", AccessLevel.READ)).isFalse();
        store.grant("alice", "org.a", AccessLevel.READ);
        assertThat(p.allows("org.a", AccessLevel.READ)).isTrue();
        store.grant("alice", "org.a", AccessLevel.WRITE);
        assertThat(p.allows("org.a", AccessLevel.WRITE)).isTrue();
        assertThat(store.revoke("alice", "org.a")).isTrue();
        assertThat(store.revoke("alice", "org.a")).isFalse();
        assertThat(p.allows("org.a", AccessLevel.READ)).isFalse();
    }

    @Test
    void grantsSurviveARestartAndBadInputIsRefused() throws IOException {
        PolicyStore store = store();
        store.grant("alice", "org.a", AccessLevel.ADMIN);
        assertThatThrownBy(() -> store.grant("token:ci", "*", AccessLevel.READ)).hasMessageContaining("No token named 'ci'");
        store.create("ci", null, null);
        store.grant("token:ci", "*", AccessLevel.READ);
        assertThatThrownBy(() -> store.grant("al ice", "org.a", AccessLevel.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.grant("alice", "9bad", AccessLevel.READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessLevel.parse("OWNER")).isInstanceOf(IllegalArgumentException.class);
        PolicyStore restarted = store();
        assertThat(restarted.grants()).containsExactly(new Grant("alice", "org.a", AccessLevel.ADMIN),
                new Grant("token:ci", "*", AccessLevel.READ));
        // a damaged line is skipped, the rest is kept
        Files.writeString(dir.resolve(PolicyStore.GRANTS_FILE), "alice org.a READ\nbroken line\nbob org.b NOPE\n", StandardCharsets.UTF_8);
        assertThat(store().grants()).containsExactly(new Grant("alice", "org.a", AccessLevel.READ));
    }

    @Test
    void aTokenIsShownOnceAndStoredOnlyAsItsSha256() throws IOException {
        PolicyStore store = store();
        IssuedToken issued = store.create("ci", "alice", null);
        assertThat(issued.secret()).startsWith("rst_").hasSize(4 + 43);
        assertThat(issued.toString()).doesNotContain(issued.secret());
        String file = Files.readString(dir.resolve(PolicyStore.TOKENS_FILE));
        assertThat(file).doesNotContain(issued.secret()).doesNotContain(issued.secret().substring(4))
                .contains(PolicyStore.digest(issued.secret()));
        assertThat(store.verify(issued.secret())).map(TokenInfo::name).contains("ci");
        assertThat(store.verify(issued.secret() + "x")).isEmpty();
        assertThat(store.verify("rst_" + "A".repeat(43))).isEmpty();
        assertThat(store.verify(null)).isEmpty();
        IssuedToken other = store.create("other", null, null);
        assertThat(other.secret()).isNotEqualTo(issued.secret());
        assertThatThrownBy(() -> store.create("ci", null, null)).hasMessageContaining("exists already");
        assertThatThrownBy(() -> store.create("bad name", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensSurviveARestartUntilRevokedAndTheirGrantsGoWithThem() {
        PolicyStore store = store();
        IssuedToken ci = store.create("ci", "alice", null);
        store.grant("token:ci", "org.ci", AccessLevel.WRITE);
        PolicyStore restarted = store();
        assertThat(restarted.verify(ci.secret())).map(TokenInfo::user).contains("alice");
        assertThat(restarted.list()).extracting(TokenInfo::name).containsExactly("ci");
        assertThat(restarted.revoke("ci")).isTrue();
        assertThat(restarted.revoke("ci")).isFalse();
        assertThat(restarted.verify(ci.secret())).isEmpty();
        assertThat(restarted.grants()).isEmpty();
        PolicyStore again = store();
        assertThat(again.verify(ci.secret())).isEmpty();
        assertThat(again.list()).isEmpty();
    }

    @Test
    void anExpiredTokenNoLongerWorks() {
        PolicyStore store = store();
        assertThatThrownBy(() -> store.create("past", null, now.get().minusSeconds(1))).hasMessageContaining("not in the future");
        IssuedToken t = store.create("short", null, now.get().plus(Duration.ofHours(1)));
        assertThat(store.verify(t.secret())).isPresent();
        now.set(now.get().plus(Duration.ofHours(1)));
        assertThat(store.verify(t.secret())).isEmpty();
        assertThat(store.list()).singleElement().satisfies(i -> assertThat(i.expiredAt(now.get())).isTrue());
    }

    @Test
    void aFailedSaveChangesNothing() throws IOException {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the folder should be");
        PolicyStore store = new PolicyStore(blocked, clock, new SecureRandom());
        assertThatThrownBy(() -> store.grant("alice", "org.a", AccessLevel.READ)).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(store.grants()).isEmpty();
        assertThatThrownBy(() -> store.create("ci", null, null)).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(store.list()).isEmpty();
    }
}
