package io.rosetta.devices.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the DTLS pre-shared keys that the registry stores: AES-256-GCM under a key of its own, kept in a file apart
 * from the registry's data (by default {@code etc/rosetta.devices.key}, readable by its owner only), with the PSK
 * identity as associated data (a sealed key copied onto another identity does not open). A copy of the data folder
 * alone does not reveal any key. Sealed form: base64 of {@code nonce(12) | ciphertext | tag(16)}.
 */
final class SecretBox {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random;

    SecretBox(byte[] key, SecureRandom random) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the registry key must be " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /**
     * The key in {@code file}; a new one when the file does not exist and {@code mayCreate} (written atomically,
     * owner-only).
     *
     * @throws IllegalStateException when the file is missing but must not be created (sealed keys exist), or is malformed
     */
    static SecretBox open(Path file, boolean mayCreate, SecureRandom random) {
        try {
            if (!Files.exists(file)) {
                if (!mayCreate) {
                    throw new IllegalStateException("The device registry's key file " + file + " is missing, but the registry holds "
                            + "DTLS keys sealed with it: restore the file (or set key.file in etc/io.rosetta.devices.cfg to where it is).");
                }
                byte[] k = new byte[KEY_BYTES];
                random.nextBytes(k);
                write(file, Base64.getEncoder().encodeToString(k) + "\n");
                return new SecretBox(k, random);
            }
            byte[] k;
            try {
                k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The device registry's key file " + file + " is not base64: " + e.getMessage());
            }
            if (k.length != KEY_BYTES) {
                throw new IllegalStateException("The device registry's key file " + file + " must hold " + KEY_BYTES + " bytes, not " + k.length);
            }
            return new SecretBox(k, random);
        } catch (IOException e) {
            throw new UncheckedIOException("The device registry's key file " + file + " cannot be read or written: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            ownerOnly(tmp);
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException e) {
                // another registry created it first; use that one
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's permissions apply
        }
    }

    String seal(byte[] plain, String identity) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** @throws IllegalStateException when the sealed key does not open (another registry key, another identity, damaged) */
    byte[] open(String sealed, String identity) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(identity.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the sealed key of identity '" + identity + "' does not open with the registry's key", e);
        }
    }
}
