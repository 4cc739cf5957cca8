package io.rosetta.security.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * The administrator's SSH key for non-interactive administration: an ECDSA P-256 key pair whose private
 * half is written in the OpenSSH format (readable by {@code bin/client -k} and by OpenSSH), and whose
 * public half goes into {@code etc/keys.properties}.
 */
final class AdminKey {

    private final KeyPair keyPair;

    private AdminKey(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    static AdminKey generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return new AdminKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot generate an EC P-256 key", e);
        }
    }

    KeyPair keyPair() {
        return keyPair;
    }

    /** The Base64 key data as {@code etc/keys.properties} holds it (the middle field of an authorized_keys line). */
    String publicKeyData() {
        String entry = PublicKeyEntry.toString(keyPair.getPublic());
        String[] fields = entry.split(" ");
        if (fields.length < 2) {
            throw new IllegalStateException("unexpected public key entry: " + entry);
        }
        return fields[1];
    }

    /** The public key as one {@code authorized_keys} line. */
    String authorizedKeysLine(String comment) {
        return PublicKeyEntry.toString(keyPair.getPublic()) + " " + comment;
    }

    /** Writes the unencrypted private key, readable by its owner only; an existing file is never overwritten. */
    void writePrivateKey(Path file, String comment) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file);
        CredentialFile.ownerOnly(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, comment, null, out);
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(file);
            throw new IOException("cannot encode the administrator key", e);
        }
    }
}
