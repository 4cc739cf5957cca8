package io.rosetta.devices;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A device's credentials as the registry stores them; every part is optional.
 *
 * @param version          incremented by every change of the credentials (caches key on it)
 * @param mqttUsername     the MQTT username, unique among devices that are not decommissioned
 * @param mqttPasswordHash the MQTT password as an Argon2id hash in PHC string format
 *                         ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}); the password itself is never stored
 * @param pskIdentity      the DTLS pre-shared key identity, unique among devices that are not decommissioned
 * @param sealedPskKey     the pre-shared key, encrypted with the registry's key (AES-256-GCM); read it in the clear
 *                         with {@link DeviceRegistry#pskKey(String)}
 * @param x509Sha256       the SHA-256 fingerprint of the device's X.509 certificate, 64 lower-case hex digits
 */
public record Credentials(long version, String mqttUsername, String mqttPasswordHash, String pskIdentity, String sealedPskKey,
                          String x509Sha256) {

    private static final Credentials NONE = new Credentials(0, null, null, null, null, null);

    public static Credentials none() {
        return NONE;
    }

    public boolean hasMqtt() {
        return mqttUsername != null && mqttPasswordHash != null;
    }

    public boolean hasPsk() {
        return pskIdentity != null && sealedPskKey != null;
    }

    public boolean hasCertificate() {
        return x509Sha256 != null;
    }

    /** Whether there is no credential at all (after decommissioning, or for a device that authenticates elsewhere). */
    public boolean isEmpty() {
        return mqttUsername == null && pskIdentity == null && x509Sha256 == null;
    }

    /** The SHA-256 fingerprint of a certificate's DER encoding ({@code X509Certificate.getEncoded()}), as the registry keeps it. */
    public static String sha256Fingerprint(byte[] derEncoded) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(derEncoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    /**
     * A fingerprint as people write it ({@code AB:CD:..}, with spaces, upper case) in the registry's form: 64 lower-case
     * hex digits.
     *
     * @throws IllegalArgumentException when it is not 32 bytes of hex
     */
    public static String normalizeFingerprint(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an X.509 SHA-256 fingerprint is required");
        }
        StringBuilder hex = new StringBuilder(64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':' || c == ' ' || c == '-') {
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                throw new IllegalArgumentException("the X.509 fingerprint '" + text + "' is not hexadecimal");
            }
            hex.append(c);
        }
        if (hex.length() != 64) {
            throw new IllegalArgumentException("the X.509 fingerprint must be a SHA-256 digest (32 bytes, 64 hex digits), not "
                    + hex.length() + " hex digits");
        }
        return hex.toString().toLowerCase(Locale.ROOT);
    }

    /** Without the hash and the sealed key. */
    @Override
    public String toString() {
        return "Credentials[version=" + version + ", mqttUsername=" + mqttUsername + ", mqttPassword=" + (mqttPasswordHash != null)
                + ", pskIdentity=" + pskIdentity + ", pskKey=" + (sealedPskKey != null) + ", x509Sha256=" + x509Sha256 + "]";
    }
}
