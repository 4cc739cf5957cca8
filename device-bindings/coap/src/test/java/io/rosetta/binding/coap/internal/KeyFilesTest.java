package io.rosetta.binding.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.coap.internal.dtls.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Public keys as PEM, DER and base64; the server's key pair created once, and read back (also as openssl writes it). */
class KeyFilesTest {

    @TempDir
    Path dir;

    @Test
    void publicKeysInEveryFormAdministratorsKeepThem() throws Exception {
        KeyPair pair = CoapClients.ecKeyPair();
        byte[] der = pair.getPublic().getEncoded();
        String pem = KeyFiles.pem("PUBLIC KEY", der);
        assertThat(KeyFiles.subjectPublicKeyInfo("a", pem)).isEqualTo(der);
        assertThat(KeyFiles.subjectPublicKeyInfo("b", Base64.getEncoder().encodeToString(der))).isEqualTo(der);
        assertThat(KeyFiles.subjectPublicKeyInfo("c", "base64:" + Base64.getEncoder().encodeToString(der))).isEqualTo(der);
        assertThat(KeyFiles.subjectPublicKeyInfo("d", der)).isEqualTo(der);
        assertThat(KeyFiles.subjectPublicKeyInfo("e", pem.getBytes(StandardCharsets.US_ASCII))).isEqualTo(der);
        assertThat(KeyFiles.publicKey("f", der)).isEqualTo(pair.getPublic());
        assertThat(KeyFiles.name(pair.getPublic())).startsWith("ni:///sha-256;");

        assertThatThrownBy(() -> KeyFiles.subjectPublicKeyInfo("rpk.x", "not base64!")).hasMessageStartingWith("rpk.x is not a public key");
        assertThatThrownBy(() -> KeyFiles.subjectPublicKeyInfo("rpk.y", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .hasMessageContaining("rpk.y has no PEM block -----BEGIN PUBLIC KEY-----");
        assertThatThrownBy(() -> KeyFiles.subjectPublicKeyInfo("rpk.z", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
                .hasMessageStartingWith("rpk.z is not a public key");
    }

    @Test
    void theServerKeyPairIsCreatedOnceThenRead() throws Exception {
        Path file = dir.resolve("etc/coap-server-key.pem");
        KeyFiles.Loaded first = KeyFiles.loadOrCreate(file);
        assertThat(first.created()).isTrue();
        KeyFiles.Loaded again = KeyFiles.loadOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.keyPair().getPublic()).isEqualTo(first.keyPair().getPublic());
        assertThat(signs(again.keyPair())).isTrue();
        assertThat(Files.list(file.getParent())).containsExactly(file); // no temporary file left
    }

    @Test
    void aKeyPairAsOpensslWritesItIsRead() throws Exception {
        KeyPair pair = CoapClients.ecKeyPair();
        Path file = Files.writeString(dir.resolve("openssl.pem"), CoapClients.sec1Pem(pair));
        KeyFiles.Loaded loaded = KeyFiles.loadOrCreate(file);
        assertThat(loaded.created()).isFalse();
        assertThat(loaded.keyPair().getPublic()).isEqualTo(pair.getPublic());
        assertThat(signs(loaded.keyPair())).isTrue();

        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> KeyFiles.loadOrCreate(broken)).hasMessageContaining("holds no private key");
    }

    private static boolean signs(KeyPair pair) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(pair.getPrivate());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(pair.getPublic());
        s.update(new byte[] {1, 2, 3});
        return s.verify(sig);
    }
}
