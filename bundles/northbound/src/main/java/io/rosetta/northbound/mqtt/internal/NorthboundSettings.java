package io.rosetta.northbound.mqtt.internal;

import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The northbound's configuration, checked: an invalid value is an {@link IllegalArgumentException}
 * naming the key, so that a wrong file is one clear log line and nothing connects.
 *
 * @param username {@code null} for none
 * @param password {@code null} for none
 * @param namespaces the namespaces whose events are published; empty for all
 */
record NorthboundSettings(boolean enabled, String url, String clientId, String username, String password, int qos, Topics topics,
                          Set<String> namespaces, boolean cleanSession, Duration keepAlive, Duration connectTimeout, int maxInflight,
                          int queueCapacity, int commandQueueCapacity, int maxCommandBytes) {

    static final String PID = "io.rosetta.northbound.mqtt";

    NorthboundSettings {
        namespaces = Set.copyOf(namespaces);
    }

    static NorthboundSettings of(NorthboundConfig c) {
        String url = c.url() == null ? "" : c.url().trim();
        try {
            URI uri = new URI(url);
            if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("url: '" + url + "' is not tcp://host:port or ssl://host:port");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: '" + url + "' is not a URL: " + e.getMessage());
        }
        String clientId = c.client_id() == null ? "" : c.client_id().trim();
        if (clientId.isEmpty() || clientId.length() > 65535) {
            throw new IllegalArgumentException("client.id: must not be empty");
        }
        if (c.qos() < 0 || c.qos() > 2) {
            throw new IllegalArgumentException("qos: must be 0, 1 or 2 but is " + c.qos());
        }
        Topics topics = Topics.of(c.topic_prefix());
        Set<String> namespaces = new LinkedHashSet<>();
        if (c.namespaces() != null) {
            for (String n : c.namespaces().split(",")) {
                String ns = n.trim();
                if (ns.isEmpty()) {
                    continue;
                }
                try {
                    ThingId.of(ns.equals("_") ? "" : ns, "x");
                } catch (InvalidIdException e) {
                    throw new IllegalArgumentException("namespaces: '" + ns + "' is not a thing namespace");
                }
                namespaces.add(ns.equals("_") ? "" : ns);
            }
        }
        positive("keep.alive.seconds", c.keep_alive_seconds());
        positive("connect.timeout.seconds", c.connect_timeout_seconds());
        positive("max.inflight", c.max_inflight());
        positive("queue.capacity", c.queue_capacity());
        positive("command.queue.capacity", c.command_queue_capacity());
        positive("max.command.bytes", c.max_command_bytes());
        return new NorthboundSettings(c.enabled(), url, clientId, blankToNull(c.username()), blankToNull(c.password()), c.qos(), topics,
                namespaces, c.clean_session(), Duration.ofSeconds(c.keep_alive_seconds()), Duration.ofSeconds(c.connect_timeout_seconds()),
                c.max_inflight(), c.queue_capacity(), c.command_queue_capacity(), c.max_command_bytes());
    }

    /** Whether the events of things of this namespace are published. */
    boolean publishes(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + ": must be at least 1 but is " + value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        // never the password
        return "NorthboundSettings[" + url + " as " + clientId + (username == null ? "" : " (user " + username + ")") + ", qos " + qos
                + ", prefix " + topics.prefix() + "]";
    }
}
