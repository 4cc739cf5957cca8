package io.rosetta.binding.mqtt.internal.config;

import io.rosetta.core.model.ThingId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One broker connection, read from a factory configuration ({@code etc/io.rosetta.binding.mqtt.broker-<name>.cfg}):
 * <pre>
 * url               = tcp://127.0.0.1:1883          # tcp://, ssl://, ws://, wss://
 * client            = vertx                         # vertx (tcp://, ssl://; the default there) or paho (also ws://, wss://)
 * clientId          = rosetta-&lt;name&gt;                # stable: the broker keeps the session under it
 * username / password
 * trustStore, trustStorePassword, trustStoreType    # TLS: the broker's CA (PKCS12 or JKS)
 * keyStore, keyStorePassword, keyStoreType          # TLS: the client certificate
 * cleanSession      = false                         # false: the broker queues QoS 1 messages while we are away
 * keepAlive         = 60s
 * maxInflight       = 1000                          # Paho's default is 10
 * qos               = 1                             # of subscriptions and commands
 * dialects          = zigbee2mqtt, tasmota, generic, sparkplug
 * autoApprove       = *                             # dialects whose new devices become twins without the inbox; * = all
 * namespace         = mqtt                          # thing ids mqtt:z2m-&lt;friendly name&gt;, mqtt:tasmota-&lt;topic&gt;
 * offlineGrace      = 30s                           # broker down this long: its twins go OFFLINE
 * maxPayloadBytes   = 65536                         # larger payloads are refused (OVERSIZED)
 * queueCapacity     = 10000                         # messages waiting to be mapped; beyond that shed (OVERLOADED)
 * zigbee2mqttBaseTopic = zigbee2mqtt
 * tasmotaFullTopic  = %prefix%/%topic%/
 * homieBaseTopic    = homie
 * homeAssistantPrefix = homeassistant              # Home Assistant's discovery prefix
 * sparkplugGroups   = *                             # Sparkplug group ids to subscribe to; * = every group
 * sparkplugHostId   =                               # set: act as the Sparkplug primary host application with this id (STATE)
 * sparkplugRebirthInterval = 10s                    # at most one rebirth request per edge node within this time
 * connectTimeout    = 10s
 * reconnectInitialDelay, reconnectMaxDelay          # reconnect backoff; the core supervisor's defaults when absent
 * </pre>
 */
public record BrokerConfig(String name, String url, String clientId, String username, String password, String trustStore,
                           String trustStorePassword, String trustStoreType, String keyStore, String keyStorePassword,
                           String keyStoreType, boolean cleanSession, Duration keepAlive, int maxInflight, int qos,
                           List<String> dialects, String namespace, Duration offlineGrace, int maxPayloadBytes, int queueCapacity,
                           String zigbee2mqttBaseTopic, String tasmotaFullTopic, String homieBaseTopic, String homeAssistantPrefix, Duration connectTimeout,
                           Duration reconnectInitialDelay, Duration reconnectMaxDelay, Set<String> autoApprove, List<String> sparkplugGroups,
                           String sparkplugHostId, Duration sparkplugRebirthInterval, Client client) {

    /** The MQTT client library a connection uses. */
    public enum Client {
        /** The Vert.x MQTT client on Netty's MQTT codec: MQTT over TCP and TLS; the default for tcp:// and ssl://. */
        VERTX,
        /** Eclipse Paho: also MQTT over WebSocket (ws://, wss://), the default there. */
        PAHO
    }

    public static final Set<String> DIALECTS = Set.of("generic", "zigbee2mqtt", "tasmota", "shelly", "homie", "homeassistant", "sparkplug");
    /** The dialects a connection reads when its configuration names none. */
    public static final List<String> DEFAULT_DIALECTS = List.of("zigbee2mqtt", "tasmota", "generic", "sparkplug");
    /** Every dialect: {@code autoApprove = *}. */
    public static final String ALL = "*";

    public BrokerConfig {
        dialects = List.copyOf(dialects);
        autoApprove = Set.copyOf(autoApprove);
        sparkplugGroups = List.copyOf(sparkplugGroups);
    }

    /** Whether new devices of a dialect become twins at once, without waiting in the inbox for approval. */
    public boolean autoApproves(String dialect) {
        return autoApprove.contains(ALL) || autoApprove.contains(dialect);
    }

    /** The connection's name: {@code name}, else the {@code <name>} of its file {@code io.rosetta.binding.mqtt.broker-<name>.cfg}. */
    public static String name(Map<String, ?> p) {
        String name = Configs.text(p, "name", null);
        return name != null ? name : Configs.nameFromFile(p, "default");
    }

    /** Reads a configuration; throws {@link IllegalArgumentException} naming the wrong key. */
    public static BrokerConfig from(Map<String, ?> p) {
        String name = name(p);
        String url = Configs.text(p, "url", "tcp://127.0.0.1:1883");
        String scheme;
        try {
            URI uri = URI.create(url);
            scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("tcp", "ssl", "ws", "wss").contains(scheme) || uri.getHost() == null) {
                throw new IllegalArgumentException("url must be tcp://host:port, ssl://host:port, ws:// or wss:// but was '" + url + "'");
            }
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("url") ? e
                    : new IllegalArgumentException("url must be tcp://host:port, ssl://host:port, ws:// or wss:// but was '" + url + "'");
        }
        boolean webSocket = scheme.startsWith("ws");
        String clientName = Configs.text(p, "client", webSocket ? "paho" : "vertx").toLowerCase(Locale.ROOT);
        Client client = switch (clientName) {
            case "vertx" -> Client.VERTX;
            case "paho" -> Client.PAHO;
            default -> throw new IllegalArgumentException("client must be vertx or paho but was '" + clientName + "'");
        };
        if (client == Client.VERTX && webSocket) {
            throw new IllegalArgumentException("client vertx speaks MQTT over TCP and TLS only: use client = paho for " + url);
        }
        String clientId = Configs.text(p, "clientId", "rosetta-" + name);
        if (clientId.length() > 65535) {
            throw new IllegalArgumentException("clientId is too long");
        }
        List<String> dialects = Configs.list(p, "dialects", DEFAULT_DIALECTS);
        for (String d : dialects) {
            if (!DIALECTS.contains(d)) {
                throw new IllegalArgumentException("dialects must name some of " + DIALECTS + " but names '" + d + "'");
            }
        }
        List<String> autoApprove = Configs.list(p, "autoApprove", List.of(ALL));
        for (String d : autoApprove) {
            if (!DIALECTS.contains(d) && !ALL.equals(d) && !"none".equals(d)) {
                throw new IllegalArgumentException("autoApprove must be *, none or some of " + DIALECTS + " but names '" + d + "'");
            }
        }
        List<String> groups = Configs.list(p, "sparkplugGroups", List.of(ALL));
        for (String g : groups) {
            if (g.isEmpty() || (!ALL.equals(g) && (g.contains("/") || g.contains("+") || g.contains("#")))) {
                throw new IllegalArgumentException("sparkplugGroups must be * or Sparkplug group ids (without '/', '+', '#') but names '" + g + "'");
            }
        }
        String hostId = Configs.text(p, "sparkplugHostId", null);
        if (hostId != null && (hostId.isBlank() || hostId.contains("/") || hostId.contains("+") || hostId.contains("#"))) {
            throw new IllegalArgumentException("sparkplugHostId must be a Sparkplug host id (without '/', '+', '#') but was '" + hostId + "'");
        }
        Duration rebirth = Configs.duration(p, "sparkplugRebirthInterval", Duration.ofSeconds(10));
        String namespace = Configs.text(p, "namespace", "mqtt");
        try {
            ThingId.of(namespace, "probe");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("namespace must be empty or dot-separated identifiers such as 'org.example' but was '" + namespace + "'");
        }
        Duration keepAlive = Configs.duration(p, "keepAlive", Duration.ofSeconds(60));
        Duration grace = Configs.duration(p, "offlineGrace", Duration.ofSeconds(30));
        Duration connectTimeout = Configs.duration(p, "connectTimeout", Duration.ofSeconds(10));
        if (connectTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("connectTimeout must be at least 100ms but was " + connectTimeout.toMillis() + " ms");
        }
        Duration reconnectInitial = Configs.duration(p, "reconnectInitialDelay", null);
        if (reconnectInitial != null && reconnectInitial.toMillis() < 10) {
            throw new IllegalArgumentException("reconnectInitialDelay must be at least 10ms but was " + reconnectInitial.toMillis() + " ms");
        }
        String base = Configs.text(p, "zigbee2mqttBaseTopic", "zigbee2mqtt");
        if (base.contains("+") || base.contains("#") || base.endsWith("/")) {
            throw new IllegalArgumentException("zigbee2mqttBaseTopic must be a topic without wildcards or trailing '/' but was '" + base + "'");
        }
        String homie = Configs.text(p, "homieBaseTopic", "homie");
        if (homie.isEmpty() || homie.contains("+") || homie.contains("#") || homie.endsWith("/")) {
            throw new IllegalArgumentException("homieBaseTopic must be a topic without wildcards or trailing '/' but was '" + homie + "'");
        }
        String ha = Configs.text(p, "homeAssistantPrefix", "homeassistant");
        if (ha.isEmpty() || ha.contains("+") || ha.contains("#") || ha.endsWith("/")) {
            throw new IllegalArgumentException("homeAssistantPrefix must be a topic without wildcards or trailing '/' but was '" + ha + "'");
        }
        return new BrokerConfig(name, url, clientId, Configs.text(p, "username", null), Configs.text(p, "password", null),
                Configs.text(p, "trustStore", null), Configs.text(p, "trustStorePassword", null), Configs.text(p, "trustStoreType", "PKCS12"),
                Configs.text(p, "keyStore", null), Configs.text(p, "keyStorePassword", null), Configs.text(p, "keyStoreType", "PKCS12"),
                Configs.bool(p, "cleanSession", false), keepAlive, Configs.integer(p, "maxInflight", 1000, 1, 65535),
                Configs.integer(p, "qos", 1, 0, 2), dialects, namespace, grace,
                Configs.integer(p, "maxPayloadBytes", 65536, 16, 256 * 1024 * 1024),
                Configs.integer(p, "queueCapacity", 10_000, 1, 10_000_000), base,
                Configs.text(p, "tasmotaFullTopic", "%prefix%/%topic%/"), homie, ha, connectTimeout,
                reconnectInitial, Configs.duration(p, "reconnectMaxDelay", null), Set.copyOf(autoApprove), groups, hostId, rebirth, client);
    }

    @Override
    public String toString() {
        // never the password
        return "BrokerConfig[name=" + name + ", url=" + url + ", client=" + client + ", clientId=" + clientId + ", username=" + username
                + ", cleanSession=" + cleanSession + ", keepAlive=" + keepAlive + ", maxInflight=" + maxInflight + ", qos=" + qos
                + ", dialects=" + dialects + ", autoApprove=" + autoApprove + ", namespace=" + namespace + ", offlineGrace=" + offlineGrace + "]";
    }
}
