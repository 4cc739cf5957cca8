package io.rosetta.security.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Makes sure the administrator account exists, once, without ever overwriting what an administrator set up:
 * <ul>
 *   <li>{@code etc/users.properties}: if there is no {@value #USER}, adds it with a hashed password
 *   (given or generated) in the group {@value #GROUP}, and the group with the roles the shell, SSH and the API
 *   require;</li>
 *   <li>{@code etc/keys.properties}: if there is no {@value #USER}, generates an SSH key pair, stores the public key
 *   there and the private key in {@code etc/}{@value #KEY_FILE} (owner-only) for {@code bin/rosetta}.</li>
 * </ul>
 */
final class AdminAccount {

    static final String USER = "admin";
    static final String GROUP = "admingroup";
    static final String GROUP_KEY = "_g_:" + GROUP;
    /** Karaf's administrator roles ({@code ssh} is the role etc/org.apache.karaf.shell.cfg requires for SSH). */
    static final String ROLES = "group,admin,manager,viewer,systembundles,ssh";
    static final String KEY_FILE = "admin.key";

    /** What a first start did. */
    record Outcome(Optional<AdminPassword> createdWith, Optional<Path> generatedKey) {
        boolean changedAnything() {
            return createdWith.isPresent() || generatedKey.isPresent();
        }
    }

    private final Path etc;
    private final PasswordHasher hasher;
    private final Supplier<AdminPassword> password;
    private final SecureRandom random;

    AdminAccount(Path etc, PasswordHasher hasher, Supplier<AdminPassword> password, SecureRandom random) {
        this.etc = etc;
        this.hasher = hasher;
        this.password = password;
        this.random = random;
    }

    Outcome ensure() throws IOException {
        return new Outcome(ensurePassword(), ensureKey());
    }

    private Optional<AdminPassword> ensurePassword() throws IOException {
        CredentialFile users = new CredentialFile(etc.resolve("users.properties"));
        if (users.has(USER)) {
            return Optional.empty();
        }
        AdminPassword chosen = password.get();
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(USER, hasher.hash(chosen.value()) + "," + GROUP_KEY);
        entries.put(GROUP_KEY, ROLES);
        users.appendMissing(entries);
        return Optional.of(chosen);
    }

    private Optional<Path> ensureKey() throws IOException {
        CredentialFile keys = new CredentialFile(etc.resolve("keys.properties"));
        if (keys.has(USER)) {
            return Optional.empty();
        }
        Path keyFile = etc.resolve(KEY_FILE);
        if (Files.exists(keyFile)) {
            // a key without its public half in keys.properties is stale: replace it
            Files.delete(keyFile);
        }
        AdminKey key = AdminKey.generate(random);
        key.writePrivateKey(keyFile, USER + "@rosetta");
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(USER, key.publicKeyData() + "," + GROUP_KEY);
        entries.put(GROUP_KEY, ROLES);
        keys.appendMissing(entries);
        return Optional.of(keyFile);
    }
}
