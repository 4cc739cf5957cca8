package io.rosetta.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import org.apache.karaf.jaas.spring_security_crypto.impl.SpringSecurityCryptoEncryptionService;
import org.junit.jupiter.api.Test;

/** Against the bcrypt service of Karaf's {@code spring-security-crypto-encryption} bundles, which the distribution uses (feature rosetta-security). */
class PasswordHasherTest {

    static final Map<String, Object> DISTRIBUTION_JAAS_CONFIG = Map.of(
            "encryption.enabled", "true",
            "encryption.name", "spring-security-crypto",
            "encryption.prefix", "{CRYPT}",
            "encryption.suffix", "{CRYPT}",
            "encryption.algorithm", "bcrypt",
            "encryption.encoding", "hexadecimal");

    @Test
    void hashesWithBcryptInsideTheConfiguredMarkers() {
        PasswordHasher hasher = PasswordHasher.fromJaasConfig(DISTRIBUTION_JAAS_CONFIG, new SpringSecurityCryptoEncryptionService(), "spring-security-crypto");

        String stored = hasher.hash("correct horse battery");

        assertThat(stored).startsWith("{CRYPT}").endsWith("{CRYPT}").doesNotContain("correct horse");
        String hash = stored.substring("{CRYPT}".length(), stored.length() - "{CRYPT}".length());
        assertThat(new String(HexFormat.of().parseHex(hash), StandardCharsets.US_ASCII)).as("hex of a bcrypt hash").startsWith("$2a$10$");
        assertThat(hasher.matches("correct horse battery", stored)).isTrue();
        assertThat(hasher.matches("correct horse batterY", stored)).isFalse();
        assertThat(hasher.matches("correct horse battery", "correct horse battery"))
                .as("a clear-text value is not a hash").isFalse();
        assertThat(hasher.hash("correct horse battery")).as("salted").isNotEqualTo(stored);
    }

    @Test
    void appliesKarafsDefaultsForLeftOutKeysAsTheRealmDoes() {
        Map<String, Object> minimal = Map.of("encryption.enabled", "true", "encryption.name", "spring-security-crypto",
                "encryption.algorithm", "bcrypt");
        PasswordHasher fromMinimal = PasswordHasher.fromJaasConfig(minimal, new SpringSecurityCryptoEncryptionService(), "spring-security-crypto");
        PasswordHasher fromFull = PasswordHasher.fromJaasConfig(DISTRIBUTION_JAAS_CONFIG, new SpringSecurityCryptoEncryptionService(), "spring-security-crypto");

        assertThat(fromFull.matches("pw-123456", fromMinimal.hash("pw-123456"))).as("hexadecimal and {CRYPT} by default").isTrue();
    }

    @Test
    void refusesAnotherEncryptionServiceThanTheOneItHashesWith() {
        Map<String, Object> basic = Map.of("encryption.enabled", "true", "encryption.algorithm", "SHA-256");

        assertThatThrownBy(() -> PasswordHasher.fromJaasConfig(basic, new SpringSecurityCryptoEncryptionService(), "spring-security-crypto"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'basic'");
    }

    @Test
    void refusesARealmThatStoresClearText() {
        Map<String, Object> clearText = Map.of("encryption.enabled", "false", "encryption.algorithm", "bcrypt");

        assertThatThrownBy(() -> PasswordHasher.fromJaasConfig(clearText, new SpringSecurityCryptoEncryptionService(), "spring-security-crypto"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("encryption.enabled");
    }
}
