package io.rosetta.security.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.EncryptionService;

/**
 * Hashes a password exactly as Karaf's JAAS realm expects it in {@code etc/users.properties}: the
 * {@code encryption.*} settings of {@code etc/org.apache.karaf.jaas.cfg} select the algorithm, and the
 * hash is wrapped in the configured prefix and suffix ({@code {CRYPT}...{CRYPT}}), so that the properties
 * login module, the shell and SSH all accept it.
 */
final class PasswordHasher {

    private static final String KEY_PREFIX = "encryption.";

    private final Encryption encryption;
    private final String prefix;
    private final String suffix;

    private PasswordHasher(Encryption encryption, String prefix, String suffix) {
        this.encryption = encryption;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /**
     * Karaf's defaults for the keys that {@code etc/org.apache.karaf.jaas.cfg} may leave out: the JAAS realm applies
     * the same ones (org.apache.karaf.jaas.modules.impl.Activator), so a hash made here always checks there.
     */
    static final Map<String, String> KARAF_DEFAULTS = Map.of(
            "name", "basic",
            "prefix", "{CRYPT}",
            "suffix", "{CRYPT}",
            "algorithm", "SHA-256",
            "encoding", "hexadecimal");

    /**
     * @param jaasConfig  the properties of the {@code org.apache.karaf.jaas} configuration
     * @param service     the encryption service that {@code encryption.name} selects
     * @param serviceName the name of that service
     * @throws IllegalStateException if the realm stores passwords in clear text or uses another encryption service
     */
    static PasswordHasher fromJaasConfig(Map<String, ?> jaasConfig, EncryptionService service, String serviceName) {
        Objects.requireNonNull(service, "service");
        if (!Boolean.parseBoolean(String.valueOf(jaasConfig.get(KEY_PREFIX + "enabled")))) {
            throw new IllegalStateException("encryption.enabled is not true in etc/org.apache.karaf.jaas.cfg: "
                    + "refusing to store the administrator password in clear text");
        }
        Map<String, String> parameters = new HashMap<>(KARAF_DEFAULTS);
        jaasConfig.forEach((key, value) -> {
            if (key.startsWith(KEY_PREFIX) && value != null && !value.toString().isBlank()) {
                parameters.put(key.substring(KEY_PREFIX.length()), value.toString().trim());
            }
        });
        parameters.remove("enabled");
        String name = parameters.remove("name");
        if (!serviceName.equals(name)) {
            throw new IllegalStateException("encryption.name is '" + name + "' in etc/org.apache.karaf.jaas.cfg, but the "
                    + "administrator account is hashed with '" + serviceName + "'");
        }
        String prefix = parameters.remove("prefix");
        String suffix = parameters.remove("suffix");
        return new PasswordHasher(service.createEncryption(parameters), prefix, suffix);
    }

    /** The value to store: {@code prefix + hash + suffix}. */
    String hash(String password) {
        return prefix + encryption.encryptPassword(password) + suffix;
    }

    /** Whether {@code password} matches a value that {@link #hash} produced. */
    boolean matches(String password, String stored) {
        if (!stored.startsWith(prefix) || !stored.endsWith(suffix)
                || stored.length() < prefix.length() + suffix.length()) {
            return false;
        }
        return encryption.checkPassword(password, stored.substring(prefix.length(), stored.length() - suffix.length()));
    }
}
