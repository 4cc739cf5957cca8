package io.rosetta.binding.coap.internal.dtls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.util.Asn1DerDecoder;

/**
 * Keys as administrators keep them: public keys as PEM ({@code -----BEGIN PUBLIC KEY-----}), DER or base64 of a
 * SubjectPublicKeyInfo; the server's own key pair as one PEM file with its PKCS#8 private key and its public
 * key (the layout libcoap's {@code -M} reads), created with an EC P-256 key the first time it is needed.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** A public key given as PEM text or base64 (with or without {@code base64:}); refuses anything else naming {@code name}. */
    public static byte[] subjectPublicKeyInfo(String name, String text) {
        String t = text.trim();
        byte[] der;
        if (t.startsWith("-----BEGIN")) {
            der = block(name, t, "PUBLIC KEY");
        } else {
            try {
                der = Base64.getMimeDecoder().decode(t.startsWith("base64:") ? t.substring(7) : t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " is not a public key (PEM or base64 of a SubjectPublicKeyInfo): "
                        + e.getMessage());
            }
        }
        publicKey(name, der);
        return der;
    }

    /** A public key file: PEM or DER. */
    public static byte[] subjectPublicKeyInfo(String name, byte[] content) {
        if (content.length > 0 && content[0] == 0x30) {
            publicKey(name, content);
            return content;
        }
        return subjectPublicKeyInfo(name, new String(content, StandardCharsets.US_ASCII));
    }

    /** The key of a DER SubjectPublicKeyInfo (EC, Ed25519, Ed448, RSA: what Scandium reads). */
    public static PublicKey publicKey(String name, byte[] der) {
        try {
            PublicKey key = Asn1DerDecoder.readSubjectPublicKey(der);
            if (key == null) {
                throw new GeneralSecurityException("unsupported key algorithm " + Asn1DerDecoder.readSubjectPublicKeyAlgorithm(der));
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a public key (DER SubjectPublicKeyInfo): " + e.getMessage());
        }
    }

    /** How logs and tools name a raw public key: RFC 6920 {@code ni:///sha-256;...} of its SubjectPublicKeyInfo. */
    public static String name(PublicKey key) {
        return new RawPublicKeyIdentity(key).getName();
    }

    /**
     * The server's key pair from {@code file}; when the file does not exist, a new EC P-256 key pair is
     * generated and written there (readable by the owner only). The boolean tells whether it was created.
     */
    public static Loaded loadOrCreate(Path file) throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            return new Loaded(read(file), false);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String pem = pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded());
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".coap-server-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions protect it
            }
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                return new Loaded(read(file), false); // created meanwhile by another start: that one counts
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Loaded(pair, true);
    }

    /** A key pair read by {@link #loadOrCreate}, and whether this call created it. */
    public record Loaded(KeyPair keyPair, boolean created) {
    }

    private static KeyPair read(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String name = file.toString();
        Asn1DerDecoder.Keys keys = null;
        for (String type : List.of("PRIVATE KEY", "EC PRIVATE KEY")) {
            if (text.contains("-----BEGIN " + type + "-----")) {
                keys = Asn1DerDecoder.readPrivateKey(block(name, text, type)); // PKCS#8 or RFC 5915, as Californium reads them
                break;
            }
        }
        if (keys == null || keys.getPrivateKey() == null) {
            throw new GeneralSecurityException(name + " holds no private key (PEM PRIVATE KEY or EC PRIVATE KEY)");
        }
        PublicKey pub = keys.getPublicKey();
        if (text.contains("-----BEGIN PUBLIC KEY-----")) {
            pub = publicKey(name, block(name, text, "PUBLIC KEY"));
        }
        if (pub == null) {
            throw new GeneralSecurityException(name + " holds no public key (PEM PUBLIC KEY)");
        }
        return new KeyPair(pub, keys.getPrivateKey());
    }

    /** The DER of the first PEM block of {@code type}. */
    static byte[] block(String name, String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b < 0 || e < 0) {
            throw new IllegalArgumentException(name + " has no PEM block " + begin);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(name + ": the PEM block " + type + " is not base64: " + ex.getMessage());
        }
    }

    /** PEM text of one block. */
    public static String pem(String type, byte[] der) {
        List<String> lines = new ArrayList<>();
        lines.add("-----BEGIN " + type + "-----");
        String b64 = Base64.getEncoder().encodeToString(der);
        for (int i = 0; i < b64.length(); i += 64) {
            lines.add(b64.substring(i, Math.min(b64.length(), i + 64)));
        }
        lines.add("-----END " + type + "-----");
        return String.join("\n", lines) + "\n";
    }
}
