package io.rosetta.broker.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The validated settings of the embedded broker and their translation into Moquette's properties.
 *
 * @param host address to listen on
 * @param port MQTT port
 * @param dataDir directory of the persistent store, {@code null} for a broker that keeps nothing
 * @param maxMessageBytes largest accepted message
 * @param sessionQueueSize messages queued per session
 * @param anonymous whether clients without a username are let in
 * @param service the service account, {@code null} for none
 * @param topics the topics of registry devices
 */
public record EmbeddedBrokerSettings(String host, int port, Path dataDir, int maxMessageBytes, int sessionQueueSize, Anonymous anonymous,
                                     ServiceAccount service, DeviceTopicRules topics) {

    /** {@code allowAnonymous}: {@code auto} lets anonymous clients in only where the device registry is not installed. */
    public enum Anonymous {
        AUTO, TRUE, FALSE;

        static Anonymous parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "", "auto" -> AUTO;
                case "true" -> TRUE;
                case "false" -> FALSE;
                default -> throw new IllegalArgumentException("allowAnonymous must be auto, true or false but was '" + text + "'");
            };
        }

        /** Whether anonymous clients get in, given whether the device registry is installed. */
        boolean allowed(boolean registryInstalled) {
            return this == TRUE || this == AUTO && !registryInstalled;
        }
    }

    /** Settings without authentication (anonymous clients, the default topics): tests. */
    public EmbeddedBrokerSettings(String host, int port, Path dataDir, int maxMessageBytes, int sessionQueueSize) {
        this(host, port, dataDir, maxMessageBytes, sessionQueueSize, Anonymous.AUTO, null, DeviceTopicRules.defaults());
    }

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 1883;
    static final String DEFAULT_DATA_DIR = "${karaf.data}/moquette";
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    static final int DEFAULT_SESSION_QUEUE_SIZE = 1024;
    private static final String KARAF_DATA = "${karaf.data}";

    public EmbeddedBrokerSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024 but was " + maxMessageBytes);
        }
        if (sessionQueueSize < 1) {
            throw new IllegalArgumentException("sessionQueueSize must be at least 1 but was " + sessionQueueSize);
        }
        Objects.requireNonNull(anonymous, "anonymous");
        Objects.requireNonNull(topics, "topics");
    }

    /**
     * Settings from the configuration; {@code ${karaf.data}} in {@code dataDir} is resolved from the
     * system property {@code karafData} names (when it is unset, persistence needs an explicit directory).
     */
    static EmbeddedBrokerSettings from(BrokerConfig config, String karafData) {
        return from(config, Map.of(), karafData);
    }

    /** {@link #from(BrokerConfig, String)}, with the raw properties for {@code deviceTopics.<binding>}. */
    static EmbeddedBrokerSettings from(BrokerConfig config, Map<String, ?> properties, String karafData) {
        Path data = null;
        if (config.persistence()) {
            String dir = config.dataDir() == null ? "" : config.dataDir().trim();
            if (dir.isEmpty()) {
                dir = DEFAULT_DATA_DIR;
            }
            if (dir.contains(KARAF_DATA)) {
                if (karafData == null || karafData.isBlank()) {
                    throw new IllegalArgumentException("dataDir '" + dir + "' needs the system property karaf.data, which is not set");
                }
                dir = dir.replace(KARAF_DATA, karafData);
            }
            data = Path.of(dir).toAbsolutePath();
        }
        Map<String, Object> topicKeys = new java.util.HashMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (k.startsWith(DeviceTopicRules.KEY + ".")) {
                    topicKeys.put(k, v);
                }
            });
        }
        topicKeys.put(DeviceTopicRules.KEY, config.deviceTopics());
        return new EmbeddedBrokerSettings(config.host().trim(), config.port(), data, config.maxMessageBytes(), config.sessionQueueSize(),
                Anonymous.parse(config.allowAnonymous()), ServiceAccount.of(config.serviceUsername(), config.servicePasswordHash()),
                DeviceTopicRules.from(topicKeys));
    }

    /** Moquette's configuration: TCP only, anonymous clients, no telemetry to the Moquette project. */
    Properties moquetteProperties() {
        return moquetteProperties(true, false);
    }

    /**
     * Moquette's configuration: TCP only, no telemetry to the Moquette project; anonymous clients as given; with
     * devices authenticated, the subscriptions of a resumed session are authorized again at its CONNECT.
     */
    Properties moquetteProperties(boolean allowAnonymous, boolean authenticatesDevices) {
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", Boolean.toString(allowAnonymous));
        p.setProperty("reauthorize_subscriptions_on_connect", Boolean.toString(authenticatesDevices));
        // MQTT 3.1.1 lets a clean-session client leave its id empty (mosquitto_pub and mosquitto_sub do); Moquette refuses it by default
        p.setProperty("allow_zero_byte_client_id", "true");
        // Moquette 0.17 otherwise reports the installation to telemetry.moquette.io and asks akamai for our address
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(maxMessageBytes));
        p.setProperty("session_queue_size", Integer.toString(sessionQueueSize));
        p.setProperty("netty.epoll", "false");
        // write every message at once instead of batching the flushes
        p.setProperty("buffer_flush_millis", "0");
        if (dataDir != null) {
            p.setProperty("persistence_enabled", "true");
            p.setProperty("data_path", dataDir.toString() + "/");
        } else {
            p.setProperty("persistence_enabled", "false");
        }
        return p;
    }

    /** {@code host:port} for log lines. */
    String address() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
