package io.rosetta.camel.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the HTTP server listens (plain HTTP, HTTPS or both, one router behind them) and the WebSocket
 * frame limits, from {@code etc/io.rosetta.camel.cfg}.
 *
 * @param tls {@code null} when HTTPS is off
 */
record HttpSettings(boolean plain, String host, int port, Tls tls, int maxFrameBytes, int maxMessageBytes) {

    static final int DEFAULT_MAX_WEBSOCKET_BYTES = 1 << 20;

    /** The HTTPS listener and its keystore; an empty password means the generated keystore (see {@link HttpsKeyStore}). */
    record Tls(String host, int port, Path keystore, String password, String type, String alias, List<String> extraNames) {
    }

    HttpSettings {
        if (!plain && tls == null) {
            throw new IllegalArgumentException("Plain HTTP and HTTPS are both off");
        }
        if (maxFrameBytes < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("WebSocket limits must be positive");
        }
    }

    /** Plain HTTP only, with the default WebSocket limits. */
    static HttpSettings plain(String host, int port) {
        return new HttpSettings(true, host, port, null, DEFAULT_MAX_WEBSOCKET_BYTES, DEFAULT_MAX_WEBSOCKET_BYTES);
    }

    /** Plain HTTP and HTTPS with the given keystore settings. */
    HttpSettings withTls(Tls tls) {
        return new HttpSettings(plain, host, port, tls, maxFrameBytes, maxMessageBytes);
    }

    HttpSettings withoutPlain() {
        return new HttpSettings(false, host, port, tls, maxFrameBytes, maxMessageBytes);
    }

    HttpSettings withWebSocketLimits(int frameBytes, int messageBytes) {
        return new HttpSettings(plain, host, port, tls, frameBytes, messageBytes);
    }

    /** The port that names the platform-http router: the plain one, or the HTTPS one when plain HTTP is off. */
    int routerPort() {
        return plain ? port : tls.port();
    }

    static HttpSettings of(CamelRuntimeConfig config) {
        boolean https = config.https_enabled();
        boolean plain = config.http_enabled() || !https;
        Tls tls = null;
        if (https) {
            String host = config.https_host() == null || config.https_host().isBlank() ? config.http_host() : config.https_host().strip();
            tls = new Tls(host, config.https_port(), keystorePath(config.https_keystore_path()), config.https_keystore_password(),
                    config.https_keystore_type() == null || config.https_keystore_type().isBlank() ? "PKCS12" : config.https_keystore_type().strip(),
                    config.https_key_alias() == null ? "" : config.https_key_alias().strip(), names(config.https_certificate_names()));
        }
        return new HttpSettings(plain, config.http_host(), config.http_port(), tls,
                Math.max(1024, config.websocket_max_frame_bytes()), Math.max(1024, config.websocket_max_message_bytes()));
    }

    /** The configured path, or {@value HttpsKeyStore#DEFAULT_FILE} in Karaf's etc folder. */
    static Path keystorePath(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip()).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("karaf.etc", "etc"), HttpsKeyStore.DEFAULT_FILE).toAbsolutePath().normalize();
    }

    private static List<String> names(String configured) {
        if (configured == null || configured.isBlank()) {
            return List.of();
        }
        return Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
