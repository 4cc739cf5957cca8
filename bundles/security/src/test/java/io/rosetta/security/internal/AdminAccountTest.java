package io.rosetta.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.karaf.jaas.spring_security_crypto.impl.SpringSecurityCryptoEncryptionService;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAccountTest {

    @TempDir
    Path etc;

    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger passwordRequests = new AtomicInteger();
    private PasswordHasher hasher;

    @BeforeEach
    void stockKarafFiles() throws Exception {
        hasher = PasswordHasher.fromJaasConfig(PasswordHasherTest.DISTRIBUTION_JAAS_CONFIG, new SpringSecurityCryptoEncryptionService(),
                "spring-security-crypto");
        Files.writeString(etc.resolve("users.properties"), "#karaf = karaf,_g_:admingroup\n#_g_\\:admingroup = group,admin\n");
        Files.writeString(etc.resolve("keys.properties"), "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
    }

    private AdminAccount account(String password) {
        return new AdminAccount(etc, hasher, () -> {
            passwordRequests.incrementAndGet();
            return new AdminPassword(password, AdminPassword.Source.ENVIRONMENT);
        }, random);
    }

    private Properties load(String name) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(etc.resolve(name))));
        return properties;
    }

    @Test
    void firstStartCreatesTheAdministratorWithAHashedPasswordAndTheShellRoles() throws Exception {
        AdminAccount.Outcome outcome = account("s3cret-enough").ensure();

        assertThat(outcome.createdWith()).hasValueSatisfying(p -> assertThat(p.value()).isEqualTo("s3cret-enough"));
        Properties users = load("users.properties");
        String[] admin = users.getProperty("admin").split(",");
        assertThat(admin).hasSize(2);
        assertThat(admin[1]).isEqualTo("_g_:admingroup");
        assertThat(hasher.matches("s3cret-enough", admin[0])).isTrue();
        assertThat(Files.readString(etc.resolve("users.properties"))).doesNotContain("s3cret-enough");
        assertThat(users.getProperty("_g_:admingroup").split(",")).contains("admin", "ssh", "manager", "viewer");
        assertThat(users).doesNotContainKey("karaf");
    }

    @Test
    void firstStartGeneratesAnSshKeyWhosePublicHalfIsInKeysProperties() throws Exception {
        AdminAccount.Outcome outcome = account("s3cret-enough").ensure();

        Path keyFile = etc.resolve(AdminAccount.KEY_FILE);
        assertThat(outcome.generatedKey()).contains(keyFile);
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");

        List<KeyPair> loaded = new ArrayList<>();
        new FileKeyPairProvider(keyFile).loadKeys(null).forEach(loaded::add);
        assertThat(loaded).hasSize(1);
        String publicData = PublicKeyEntry.toString(loaded.get(0).getPublic()).split(" ")[1];
        Properties keys = load("keys.properties");
        assertThat(keys.getProperty("admin")).isEqualTo(publicData + ",_g_:admingroup");
        assertThat(keys.getProperty("_g_:admingroup")).contains("ssh");
    }

    @Test
    void laterStartsChangeNothing() throws Exception {
        account("s3cret-enough").ensure();
        String users = Files.readString(etc.resolve("users.properties"));
        String keys = Files.readString(etc.resolve("keys.properties"));
        String key = Files.readString(etc.resolve(AdminAccount.KEY_FILE));

        AdminAccount.Outcome second = account("another-password").ensure();

        assertThat(second.changedAnything()).isFalse();
        assertThat(passwordRequests).as("no password is asked for, none generated").hasValue(1);
        assertThat(Files.readString(etc.resolve("users.properties"))).isEqualTo(users);
        assertThat(Files.readString(etc.resolve("keys.properties"))).isEqualTo(keys);
        assertThat(Files.readString(etc.resolve(AdminAccount.KEY_FILE))).isEqualTo(key);
    }

    @Test
    void anAdministratorSetUpByHandIsLeftAlone() throws Exception {
        Files.writeString(etc.resolve("users.properties"), "admin = {CRYPT}x{CRYPT},_g_:admingroup\n");
        Files.writeString(etc.resolve("keys.properties"), "admin = AAAAmykey,_g_:admingroup\n");

        AdminAccount.Outcome outcome = account("s3cret-enough").ensure();

        assertThat(outcome.changedAnything()).isFalse();
        assertThat(passwordRequests).hasValue(0);
        assertThat(Files.exists(etc.resolve(AdminAccount.KEY_FILE))).isFalse();
        assertThat(Files.readString(etc.resolve("users.properties"))).isEqualTo("admin = {CRYPT}x{CRYPT},_g_:admingroup\n");
    }
}
