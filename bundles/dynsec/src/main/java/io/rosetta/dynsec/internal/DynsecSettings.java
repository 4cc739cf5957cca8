package io.rosetta.dynsec.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checked configuration of {@code io.rosetta.dynsec}.
 *
 * @param enabled        whether anything connects
 * @param url            the Mosquitto to administer
 * @param clientId       the administration connection's client id
 * @param username       the dynamic security administrator ({@code null}: none)
 * @param password       its password ({@code null}: none)
 * @param rolePrefix     prefix of the devices' roles
 * @param topics         the devices' topics
 * @param batchSize      commands per message
 * @param window         commands awaiting an answer at most
 * @param queueCapacity  commands waiting at most
 * @param responseTimeout how long an answer may take
 * @param resyncOnConnect whether every (re)connection starts a resync
 * @param keepAlive      MQTT keep-alive
 * @param connectTimeout MQTT connect timeout
 */
record DynsecSettings(boolean enabled, String url, String clientId, String username, String password, String rolePrefix, DeviceTopics topics,
                      int batchSize, int window, int queueCapacity, Duration responseTimeout, boolean resyncOnConnect, Duration keepAlive,
                      Duration connectTimeout) {

    static final String PID = "io.rosetta.dynsec";
    private static final Pattern URL = Pattern.compile("(tcp|ssl)://[^/\\s]+:\\d{1,5}");
    private static final Pattern ROLE_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    DynsecSettings {
        if (!URL.matcher(url).matches()) {
            throw new IllegalArgumentException("url must be tcp://host:port or ssl://host:port but was '" + url + "'");
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("client.id must not be empty");
        }
        if (!ROLE_PREFIX.matcher(rolePrefix).matches()) {
            throw new IllegalArgumentException("role.prefix must be 1 to 64 letters, digits, '.', '_' or '-' but was '" + rolePrefix + "'");
        }
        if (batchSize < 1 || window < batchSize || queueCapacity < 1) {
            throw new IllegalArgumentException("batch.size must be at least 1, window at least batch.size, queue.capacity at least 1");
        }
    }

    static DynsecSettings of(DynsecConfig c, Map<String, ?> properties) {
        Map<String, Object> topicKeys = new HashMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (k.startsWith(DeviceTopics.KEY + ".")) {
                    topicKeys.put(k, v);
                }
            });
        }
        topicKeys.put(DeviceTopics.KEY, c.device_topics());
        return new DynsecSettings(c.enabled(), c.url().trim(), c.client_id().trim(), blankToNull(c.username()), blankToNull(c.password()),
                c.role_prefix().trim(), DeviceTopics.from(topicKeys), c.batch_size(), c.window(), c.queue_capacity(),
                Duration.ofSeconds(Math.max(1, c.response_timeout_seconds())), c.resync_on_connect(),
                Duration.ofSeconds(Math.max(1, c.keep_alive_seconds())), Duration.ofSeconds(Math.max(1, c.connect_timeout_seconds())));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "DynsecSettings[url=" + url + ", clientId=" + clientId + ", username=" + username + ", rolePrefix=" + rolePrefix + ", topics="
                + topics + "]";
    }
}
