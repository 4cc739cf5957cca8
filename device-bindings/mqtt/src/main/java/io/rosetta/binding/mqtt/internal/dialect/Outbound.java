package io.rosetta.binding.mqtt.internal.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A message for a device: topic, payload, whether the broker should retain it, and its QoS ({@link #CONNECTION_QOS}: the
 * broker connection's {@code qos}; Sparkplug commands are QoS 0 by the specification).
 */
public record Outbound(String topic, byte[] payload, boolean retained, int qos) {

    public static final int CONNECTION_QOS = -1;

    public Outbound {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < CONNECTION_QOS || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1, 2 or CONNECTION_QOS but was " + qos);
        }
    }

    public Outbound(String topic, byte[] payload, boolean retained) {
        this(topic, payload, retained, CONNECTION_QOS);
    }

    public static Outbound of(String topic, String payload) {
        return new Outbound(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
