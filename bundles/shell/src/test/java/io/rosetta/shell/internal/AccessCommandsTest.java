package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.security.AccessLevel;
import io.rosetta.security.Grant;
import io.rosetta.security.internal.PolicyStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessCommandsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private TokenCommand token(PolicyStore store, String action, String name) {
        TokenCommand c = new TokenCommand();
        c.tokens = store;
        c.out = out;
        c.action = action;
        c.name = name;
        return c;
    }

    private GrantCommand grant(PolicyStore store, String subject, String namespace, String level) {
        GrantCommand c = new GrantCommand();
        c.access = store;
        c.out = out;
        c.subject = subject;
        c.namespace = namespace;
        c.level = level;
        return c;
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createPrintsTheTokenOnceAndItWorksUntilRevoked() throws Exception {
        PolicyStore store = PolicyStore.in(dir);
        TokenCommand create = token(store, "create", "ci");
        create.user = "alice";
        create.expires = "30d";
        create.execute();
        Matcher m = Pattern.compile("(rst_[A-Za-z0-9_-]{43})").matcher(output());
        assertThat(m.find()).isTrue();
        String secret = m.group(1);
        assertThat(output()).contains("for user 'alice'").contains("expires");
        assertThat(store.verify(secret)).isPresent();
        for (Path file : Files.list(dir).toList()) {
            assertThat(Files.readString(file)).doesNotContain(secret);
        }

        bytes.reset();
        token(store, "list", null).execute();
        assertThat(output()).contains("ci").contains("alice").contains("valid").doesNotContain(secret);

        bytes.reset();
        token(store, "revoke", "ci").execute();
        assertThat(output()).contains("revoked");
        assertThat(PolicyStore.in(dir).verify(secret)).isEmpty();
        assertThatThrownBy(() -> token(store, "revoke", "ci").execute()).isInstanceOf(CommandException.class).hasMessageContaining("No token");
        assertThatThrownBy(() -> token(store, "create", null).execute()).isInstanceOf(CommandException.class);
        assertThatThrownBy(() -> token(store, "rotate", "x").execute()).isInstanceOf(CommandException.class);
        TokenCommand bad = token(store, "create", "x");
        bad.expires = "tomorrow";
        assertThatThrownBy(bad::execute).isInstanceOf(CommandException.class).hasMessageContaining("--expires");
    }

    @Test
    void optionsAfterTheNameAreAccepted() throws Exception {
        PolicyStore store = PolicyStore.in(dir);
        TokenCommand create = token(store, "create", "late");
        create.trailing = java.util.List.of("--user", "bob", "--expires", "2h");
        create.execute();
        assertThat(store.list()).singleElement().satisfies(t -> {
            assertThat(t.user()).isEqualTo("bob");
            assertThat(t.expires()).isNotNull();
        });
        TokenCommand bad = token(store, "create", "other");
        bad.trailing = java.util.List.of("--colour", "red");
        assertThatThrownBy(bad::execute).isInstanceOf(CommandException.class).hasMessageContaining("Unexpected '--colour'");
        TokenCommand dangling = token(store, "create", "other");
        dangling.trailing = java.util.List.of("--user");
        assertThatThrownBy(dangling::execute).isInstanceOf(CommandException.class);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void expiryForms() {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        assertThat(TokenCommand.expiry("2d", now)).isEqualTo(Instant.parse("2026-01-03T10:00:00Z"));
        assertThat(TokenCommand.expiry("12h", now)).isEqualTo(Instant.parse("2026-01-01T22:00:00Z"));
        assertThat(TokenCommand.expiry("45m", now)).isEqualTo(Instant.parse("2026-01-01T10:45:00Z"));
        assertThat(TokenCommand.expiry("PT1H", now)).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
        assertThat(TokenCommand.expiry("2026-12-31", now)).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(TokenCommand.expiry("2026-06-01T12:00:00Z", now)).isEqualTo(Instant.parse("2026-06-01T12:00:00Z"));
    }

    @Test
    void grantRevokeAndList() throws Exception {
        PolicyStore store = PolicyStore.in(dir);
        grant(store, "alice", "org.example", "write").execute();
        assertThatThrownBy(() -> grant(store, "token:ci", "*", "READ").execute()).isInstanceOf(CommandException.class)
                .hasMessageContaining("create it first");
        store.create("ci", null, null);
        grant(store, "token:ci", "*", "READ").execute();
        assertThat(output()).contains("Granted WRITE on 'org.example' to 'alice'");
        assertThat(store.permissions(Set.of("alice"), Set.of()).allows("org.example", AccessLevel.WRITE)).isTrue();
        assertThat(PolicyStore.in(dir).grants()).contains(new Grant("token:ci", "*", AccessLevel.READ));

        bytes.reset();
        GrantsCommand list = new GrantsCommand();
        list.access = store;
        list.out = out;
        list.execute();
        assertThat(output()).contains("alice").contains("org.example").contains("WRITE").contains("token:ci").contains("(role admin)");

        GrantCommand revoke = grant(store, "alice", "org.example", null);
        revoke.revoke = true;
        revoke.execute();
        assertThat(store.permissions(Set.of("alice"), Set.of()).allows("org.example", AccessLevel.READ)).isFalse();
        assertThatThrownBy(revoke::execute).isInstanceOf(CommandException.class).hasMessageContaining("no grant");
        assertThatThrownBy(() -> grant(store, "alice", "org.example", "OWNER").execute()).isInstanceOf(CommandException.class)
                .hasMessageContaining("READ, WRITE or ADMIN");
        assertThatThrownBy(() -> grant(store, "alice", "bad namespace", "READ").execute()).isInstanceOf(CommandException.class);
        assertThatThrownBy(() -> grant(store, "alice", "org.example", null).execute()).isInstanceOf(CommandException.class);
    }
}
