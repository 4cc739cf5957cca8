package io.rosetta.broker.internal;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The broker's service account: the user Rosetta's own connections (the MQTT binding, the northbound) log in as when
 * devices are authenticated against the device registry. Its password is configured as an Argon2id hash in PHC format
 * ({@code $argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>}, as the {@code argon2} command line tool and the device registry
 * write it); the password itself is never configured. After one successful check the password is recognised from an
 * HMAC under a key that exists only in memory, so reconnects do not pay for Argon2id again.
 */
final class ServiceAccount {

    static final int MAX_MEMORY_KIB = 1_048_576;
    static final int MAX_ITERATIONS = 16;
    static final int MAX_PARALLELISM = 16;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,128})");

    private final String username;
    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final byte[] salt;
    private final byte[] expected;
    private final SecretKeySpec cacheKey;
    private volatile byte[] remembered;

    private ServiceAccount(String username, int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] expected) {
        this.username = username;
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.salt = salt;
        this.expected = expected;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * The account of a username and a PHC hash; {@code null} when no hash is configured.
     *
     * @throws IllegalArgumentException when the username is empty or the hash is not a usable Argon2id hash
     */
    static ServiceAccount of(String username, String phc) {
        if (phc == null || phc.isBlank()) {
            return null;
        }
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("serviceUsername must not be empty when servicePasswordHash is set");
        }
        Matcher m = PHC.matcher(phc.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("servicePasswordHash is not an Argon2id hash in PHC format "
                    + "($argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>, unpadded base64)");
        }
        int memory = Integer.parseInt(m.group(1));
        int passes = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (lanes < 1 || lanes > MAX_PARALLELISM || memory < 8 * lanes || memory > MAX_MEMORY_KIB || passes < 1 || passes > MAX_ITERATIONS) {
            throw new IllegalArgumentException("servicePasswordHash's parameters are out of range (m up to " + MAX_MEMORY_KIB
                    + " KiB, t from 1 to " + MAX_ITERATIONS + ", p from 1 to " + MAX_PARALLELISM + ")");
        }
        byte[] salt = Base64.getDecoder().decode(m.group(4));
        byte[] hash = Base64.getDecoder().decode(m.group(5));
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("servicePasswordHash's salt (8 bytes at least) or digest (16 bytes at least) is too short");
        }
        return new ServiceAccount(username.trim(), memory, passes, lanes, salt, hash);
    }

    String username() {
        return username;
    }

    /** Whether {@code password} is the account's password. */
    boolean verify(byte[] password) {
        if (password == null) {
            return false;
        }
        byte[] mac = mac(password);
        byte[] known = remembered;
        if (known != null && MessageDigest.isEqual(known, mac)) {
            return true;
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] actual = new byte[expected.length];
        generator.generateBytes(password, actual);
        boolean ok = MessageDigest.isEqual(expected, actual);
        if (ok) {
            remembered = mac;
        }
        return ok;
    }

    private byte[] mac(byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return mac.doFinal(password);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JVM", e);
        }
    }
}
