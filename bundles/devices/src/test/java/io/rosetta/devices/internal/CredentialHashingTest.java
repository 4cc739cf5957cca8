package io.rosetta.devices.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Argon2id hashes in PHC format, the verified-credential cache and the sealing of pre-shared keys. */
class CredentialHashingTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void newHashesUseTheConfiguredParametersAndARandomSalt() {
        Argon2Passwords p = new Argon2Passwords(Argon2Passwords.Parameters.OWASP, new SecureRandom());
        String a = p.hash(utf8("correct horse"));
        String b = p.hash(utf8("correct horse"));

        assertThat(a).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(a).isNotEqualTo(b);
        assertThat(Argon2Passwords.verify(utf8("correct horse"), a)).isTrue();
        assertThat(Argon2Passwords.verify(utf8("correct horse"), b)).isTrue();
        assertThat(Argon2Passwords.verify(utf8("correct horsE"), a)).isFalse();
        assertThat(Argon2Passwords.verify(utf8(""), a)).isFalse();
    }

    @Test
    void hashesOfTheReferenceImplementationVerify() {
        // RFC 9106 reference implementation (Debian's argon2): echo -n password | argon2 somesalt -id -t 2 -m 16 -p 4 -l 32 -e
        String reference = "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";
        assertThat(Argon2Passwords.verify(utf8("password"), reference)).isTrue();
        assertThat(Argon2Passwords.verify(utf8("Password"), reference)).isFalse();
        assertThat(Argon2Passwords.checkHash(reference)).isEqualTo(reference);
    }

    @Test
    void hashesGivenInsteadOfPasswordsAreCheckedForFormatAndCost() {
        assertThatThrownBy(() -> Argon2Passwords.checkHash("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"))
                .hasMessageContaining("PHC format");
        assertThatThrownBy(() -> Argon2Passwords.checkHash("$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"))
                .hasMessageContaining("PHC format");
        // echo -n short | argon2 somesalt -id -t 1 -k 64 -p 1 -l 32 -e: valid, but too cheap to store
        assertThatThrownBy(() -> Argon2Passwords.checkHash("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$3uJs1NaHoixsjmzTte5CgdHAD/v5XbFTkBH5sPCGhE8"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Argon2Passwords.checkHash("$argon2id$v=19$m=9999999,t=2,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"))
                .hasMessageContaining("out of range");
        assertThat(Argon2Passwords.verify(utf8("password"), "not a hash")).isFalse();
        assertThatThrownBy(() -> new Argon2Passwords.Parameters(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCacheMatchesOnlyTheVerifiedPasswordOfTheSameCredentialsVersionUntilItExpires() {
        VerifiedCredentials cache = new VerifiedCredentials(3, 1000, new SecureRandom());
        cache.remember("u", "d", 1, utf8("pw-1"), 0);

        assertThat(cache.matches("u", "d", 1, utf8("pw-1"), 500)).isTrue();
        assertThat(cache.matches("u", "d", 1, utf8("pw-2"), 500)).isFalse();
        assertThat(cache.matches("u", "d", 2, utf8("pw-1"), 500)).isFalse();
        assertThat(cache.matches("u", "other", 1, utf8("pw-1"), 500)).isFalse();
        assertThat(cache.matches("u", "d", 1, utf8("pw-1"), 1001)).isFalse();
        assertThat(cache.size()).isZero();

        for (int i = 0; i < 10; i++) {
            cache.remember("u" + i, "d" + i, 1, utf8("pw"), 0);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        cache.forget("u9");
        assertThat(cache.matches("u9", "d9", 1, utf8("pw"), 1)).isFalse();
        assertThat(new VerifiedCredentials(0, 1000, new SecureRandom()).enabled()).isFalse();
    }

    @Test
    void sealedKeysOpenOnlyWithTheirIdentityAndTheirKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        SecretBox box = SecretBox.open(dir.resolve("k"), true, new SecureRandom());
        byte[] key = utf8("0123456789abcdef");
        String sealed = box.seal(key, "id-1");

        assertThat(sealed).doesNotContain("0123456789abcdef");
        assertThat(box.open(sealed, "id-1")).isEqualTo(key);
        assertThat(box.seal(key, "id-1")).isNotEqualTo(sealed);
        assertThatThrownBy(() -> box.open(sealed, "id-2")).isInstanceOf(IllegalStateException.class);
        SecretBox same = SecretBox.open(dir.resolve("k"), false, new SecureRandom());
        assertThat(same.open(sealed, "id-1")).isEqualTo(key);
        SecretBox other = SecretBox.open(dir.resolve("other"), true, new SecureRandom());
        assertThatThrownBy(() -> other.open(sealed, "id-1")).isInstanceOf(IllegalStateException.class);
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("k")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        java.nio.file.Files.writeString(dir.resolve("bad"), "not base64!");
        assertThatThrownBy(() -> SecretBox.open(dir.resolve("bad"), false, new SecureRandom())).hasMessageContaining("not base64");
    }
}
