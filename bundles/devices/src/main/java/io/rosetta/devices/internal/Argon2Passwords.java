package io.rosetta.devices.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * MQTT passwords hashed with Argon2id (RFC 9106) from Bouncy Castle, stored in the PHC string format that libargon2,
 * Python's argon2-cffi and Spring Security write: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded
 * base64). A hash keeps its own parameters, so changing the configured ones affects new hashes only.
 */
final class Argon2Passwords {

    /** Hashes made elsewhere must stay within these bounds: a verification may not cost more than this. */
    static final int MAX_MEMORY_KIB = 262_144;
    static final int MAX_ITERATIONS = 16;
    static final int MAX_PARALLELISM = 8;
    /** ... and not be trivially weak. */
    static final int MIN_MEMORY_KIB = 1024;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** The cost of new hashes: memory in KiB, passes, lanes. */
    record Parameters(int memoryKiB, int iterations, int parallelism) {
        Parameters {
            if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS
                    || parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("Argon2id parameters out of range: m=" + memoryKiB + " KiB, t=" + iterations
                        + ", p=" + parallelism + " (m from 8*p to " + MAX_MEMORY_KIB + ", t from 1 to " + MAX_ITERATIONS
                        + ", p from 1 to " + MAX_PARALLELISM + ")");
            }
        }

        /** OWASP's recommendation (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane. */
        static final Parameters OWASP = new Parameters(19_456, 2, 1);
    }

    private final Parameters parameters;
    private final SecureRandom random;

    Argon2Passwords(Parameters parameters, SecureRandom random) {
        this.parameters = parameters;
        this.random = random;
    }

    Parameters parameters() {
        return parameters;
    }

    /** A new salted hash of {@code password} in PHC format. */
    String hash(byte[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, parameters.memoryKiB(), parameters.iterations(), parameters.parallelism(), HASH_BYTES);
        return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p=" + parameters.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code phc}; false for anything that is not a valid Argon2id hash. */
    static boolean verify(byte[] password, String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Checks a hash given instead of a password (an import file, the API).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static String checkHash(String phc) {
        Matcher m = PHC.matcher(phc.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("the password hash is not an Argon2id hash in PHC format "
                    + "($argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>, unpadded base64)");
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (memory < MIN_MEMORY_KIB || memory > MAX_MEMORY_KIB || memory < 8 * parallelism || iterations < 1
                || iterations > MAX_ITERATIONS || parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("the password hash's parameters are out of range (m from " + MIN_MEMORY_KIB + " to "
                    + MAX_MEMORY_KIB + " KiB, t from 1 to " + MAX_ITERATIONS + ", p from 1 to " + MAX_PARALLELISM + ")");
        }
        if (B64D.decode(m.group(4)).length < 8 || B64D.decode(m.group(5)).length < 16) {
            throw new IllegalArgumentException("the password hash's salt (8 bytes at least) or digest (16 bytes at least) is too short");
        }
        return phc.trim();
    }

    private static byte[] derive(byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
