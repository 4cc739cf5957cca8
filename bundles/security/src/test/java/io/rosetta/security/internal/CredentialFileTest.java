package io.rosetta.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFileTest {

    @TempDir
    Path dir;

    @Test
    void appendsOnlyMissingEntriesAndKeepsCommentsAndExistingLines() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "# a comment the administrator wrote\n#karaf = karaf,_g_:admingroup\nalice = secret,viewer");
        CredentialFile users = new CredentialFile(file);

        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("alice", "other");
        entries.put("admin", "{CRYPT}$2a$10$abc/def.{CRYPT},_g_:admingroup");
        entries.put("_g_:admingroup", "group,admin,ssh");

        assertThat(users.appendMissing(entries)).containsExactly("admin", "_g_:admingroup");

        String text = Files.readString(file);
        assertThat(text).startsWith("# a comment the administrator wrote\n#karaf = karaf,_g_:admingroup\nalice = secret,viewer\n");
        assertThat(text).contains("_g_\\:admingroup = group,admin,ssh");
        Properties parsed = new Properties();
        parsed.load(new StringReader(text));
        assertThat(parsed).containsEntry("alice", "secret,viewer")
                .containsEntry("admin", "{CRYPT}$2a$10$abc/def.{CRYPT},_g_:admingroup")
                .containsEntry("_g_:admingroup", "group,admin,ssh");
        assertThat(users.has("admin")).isTrue();
        assertThat(users.has("karaf")).as("a commented-out user does not exist").isFalse();
    }

    @Test
    void secondAppendChangesNothing() throws Exception {
        CredentialFile users = new CredentialFile(dir.resolve("users.properties"));
        users.appendMissing(Map.of("admin", "x"));
        String before = Files.readString(users.path());

        assertThat(users.appendMissing(Map.of("admin", "y"))).isEmpty();
        assertThat(Files.readString(users.path())).isEqualTo(before);
    }

    @Test
    void createsAMissingFileReadableByItsOwnerOnly() throws Exception {
        CredentialFile keys = new CredentialFile(dir.resolve("etc/keys.properties"));
        assertThat(keys.has("admin")).isFalse();

        keys.appendMissing(Map.of("admin", "AAAA,_g_:admingroup"));

        assertThat(Files.getPosixFilePermissions(keys.path()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.list(keys.path().getParent())).as("no temporary file left behind").hasSize(1);
    }

    @Test
    void refusesAValueThatWouldSpanLines() {
        CredentialFile users = new CredentialFile(dir.resolve("users.properties"));
        assertThatThrownBy(() -> users.appendMissing(Map.of("admin", "x\nkaraf = karaf")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(users.path())).isFalse();
    }

    @Test
    void escapesKeysTheWayPropertiesReadThem() throws Exception {
        Properties parsed = new Properties();
        parsed.load(new StringReader(CredentialFile.escapeKey("_g_:a=b c") + " = v\\x"));
        assertThat(parsed).containsOnlyKeys("_g_:a=b c");
    }
}
