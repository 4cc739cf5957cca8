package io.rosetta.binding.coap.internal.config;

import io.rosetta.binding.coap.internal.dtls.KeyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The server's configuration ({@code etc/io.rosetta.binding.coap.cfg}), read and validated from Config
 * Admin properties. A wrong value is refused with an {@link IllegalArgumentException} that names the key.
 *
 * @param host          address to bind ({@code 0.0.0.0} for all)
 * @param port          CoAP over UDP; {@code -1} disables it
 * @param securePort    CoAP over DTLS 1.2; {@code -1} disables it
 * @param allowPlainCoap whether registrations and readings are accepted without DTLS
 * @param namespace     namespace of the thing ids ({@code coap:<endpoint>})
 * @param defaultModel  model of an endpoint that registers without {@code et}
 * @param minLifetime   shortest registration lifetime accepted, seconds
 * @param maxLifetime   longest registration lifetime accepted, seconds
 * @param maxBodySize   largest request body (block-wise transfer included), bytes
 * @param blockSize     preferred block size (16..1024, a power of two)
 * @param maxRecords    most records in one SenML pack
 * @param deadLetters   refused requests kept
 * @param psk           DTLS identity → pre-shared key
 * @param ackTimeout    first retransmission timeout of confirmable requests to devices, milliseconds (RFC 7252: 2000)
 * @param maxRetransmit retransmissions of a confirmable request before it fails (RFC 7252: 4)
 * @param rawPublicKeys whether devices may authenticate with raw public keys (RFC 7250) on the DTLS endpoint
 * @param serverKeyFile the server's own key pair (PEM), generated there at first start; {@code null} when
 *                      raw public keys are off and none is configured
 * @param rpk           endpoint name → trusted raw public key (DER SubjectPublicKeyInfo) from the configuration
 * @param rpkDir        a directory of trusted raw public keys, {@code <endpoint>.pem} or {@code <endpoint>.der}; {@code null} for none
 * @param jsonMappingDir a directory of additional JSON mappings ({@code <name>.json}); {@code null} for none
 */
public record CoapServerConfig(String host, int port, int securePort, boolean allowPlainCoap, String namespace,
                               String defaultModel, long minLifetime, long maxLifetime, int maxBodySize, int blockSize,
                               int maxRecords, int deadLetters, Map<String, byte[]> psk, int ackTimeout,
                               int maxRetransmit, boolean rawPublicKeys, Path serverKeyFile, Map<String, byte[]> rpk,
                               Path rpkDir, Path jsonMappingDir) {

    /** Where the server's key pair is kept when {@code serverKeyFile} is not configured (in Karaf: {@code etc/}). */
    public static final String DEFAULT_SERVER_KEY_FILE = "coap-server-key.pem";

    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z]\\w*(?:\\.[a-zA-Z]\\w*)*");

    public static CoapServerConfig from(Map<String, ?> p) {
        int port = integer(p, "port", 5683, -1, 65535);
        int securePort = integer(p, "securePort", 5684, -1, 65535);
        int blockSize = integer(p, "blockSize", 512, 16, 1024);
        if (Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize must be a power of two between 16 and 1024 but was " + blockSize);
        }
        String namespace = text(p, "namespace", "coap");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be a thing id namespace (letters, digits, '_', '.') but was '"
                    + namespace + "'");
        }
        long minLifetime = integer(p, "minLifetime", 1, 1, Integer.MAX_VALUE);
        long maxLifetime = integer(p, "maxLifetime", 90000, 1, Integer.MAX_VALUE);
        if (minLifetime > maxLifetime) {
            throw new IllegalArgumentException("minLifetime must not exceed maxLifetime but was " + minLifetime + " > " + maxLifetime);
        }
        Map<String, byte[]> psk = new LinkedHashMap<>();
        String file = text(p, "pskFile", "");
        if (!file.isEmpty()) {
            Properties credentials = new Properties();
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                credentials.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("pskFile cannot be read: " + e.getMessage());
            }
            for (String identity : credentials.stringPropertyNames()) {
                psk.put(identity, key("pskFile " + identity, credentials.getProperty(identity)));
            }
        }
        p.forEach((k, v) -> {
            if (k.startsWith("psk.") && k.length() > 4) {
                psk.put(k.substring(4), key(k, String.valueOf(v)));
            }
        });
        Map<String, byte[]> rpk = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("rpk.") && k.length() > 4) {
                rpk.put(k.substring(4), KeyFiles.subjectPublicKeyInfo(k, String.valueOf(v)));
            }
        });
        boolean rawPublicKeys = bool(p, "rawPublicKeys", false);
        Path rpkDir = directory(p, "rpkDir");
        return new CoapServerConfig(text(p, "host", "0.0.0.0"), port, securePort, bool(p, "allowPlainCoap", false), namespace,
                text(p, "defaultModel", ""), minLifetime, maxLifetime, integer(p, "maxBodySize", 65536, 16, 16 * 1024 * 1024),
                blockSize, integer(p, "maxRecords", 1000, 1, 100000), integer(p, "deadLetters", 100, 0, 100000), Map.copyOf(psk),
                integer(p, "ackTimeout", 2000, 10, 60000), integer(p, "maxRetransmit", 4, 0, 10), rawPublicKeys,
                serverKeyFile(p, rawPublicKeys), Map.copyOf(rpk), rpkDir, directory(p, "jsonMappingDir"));
    }

    /**
     * The server's key file: {@code serverKeyFile}, else {@value #DEFAULT_SERVER_KEY_FILE} in Karaf's {@code etc/}
     * ({@code karaf.etc}); required outside Karaf when raw public keys are on.
     */
    private static Path serverKeyFile(Map<String, ?> p, boolean rawPublicKeys) {
        String file = text(p, "serverKeyFile", "");
        if (!file.isEmpty()) {
            return Path.of(file);
        }
        String etc = System.getProperty("karaf.etc");
        if (etc != null && !etc.isBlank()) {
            return Path.of(etc, DEFAULT_SERVER_KEY_FILE);
        }
        if (rawPublicKeys) {
            throw new IllegalArgumentException("serverKeyFile must be set when rawPublicKeys is true (outside Karaf there is no etc/)");
        }
        return null;
    }

    /** An existing directory, or {@code null} when the key is not set. */
    private static Path directory(Map<String, ?> p, String key) {
        String d = text(p, key, "");
        if (d.isEmpty()) {
            return null;
        }
        Path dir = Path.of(d);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(key + " must be a directory but '" + d + "' is not one");
        }
        return dir;
    }

    /** A key as {@code hex:0a1b...}, {@code base64:...}, or its UTF-8 text (as libcoap's {@code -k} takes it). */
    static byte[] key(String name, String text) {
        String t = text.trim();
        try {
            if (t.startsWith("hex:")) {
                return HexFormat.of().parseHex(t.substring(4));
            }
            if (t.startsWith("base64:")) {
                return Base64.getDecoder().decode(t.substring(7));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a valid key: " + e.getMessage());
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return t.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        return v == null ? dflt : v.toString().trim();
    }

    private static boolean bool(Map<String, ?> p, String key, boolean dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        String s = v.toString().trim();
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false but was '" + s + "'");
        }
        return Boolean.parseBoolean(s);
    }

    private static int integer(Map<String, ?> p, String key, int dflt, int min, int max) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        int i;
        try {
            i = v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number but was '" + v + "'");
        }
        if (i < min || i > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + " but was " + i);
        }
        return i;
    }
}
