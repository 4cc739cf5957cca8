package io.rosetta.binding.mqtt.internal.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A message for a device: topic, payload, and whether the broker should retain it. */
public record Outbound(String topic, byte[] payload, boolean retained) {

    public Outbound {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    public static Outbound of(String topic, String payload) {
        return new Outbound(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
