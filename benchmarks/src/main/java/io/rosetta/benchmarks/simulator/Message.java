package io.rosetta.benchmarks.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One MQTT message a simulated device publishes. {@code mark} names the model property whose value
 * identifies this message in the twin's events (for latency measurements); {@code null} for messages
 * that carry no such value (discovery, availability, booleans).
 */
public record Message(String topic, byte[] payload, boolean retained, Mark mark) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }

    public static Message of(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), false, null);
    }

    public static Message retained(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), true, null);
    }

    public Message marked(Mark m) {
        return new Message(topic, payload, retained, m);
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return topic + (retained ? " (retained) " : " ") + (payload.length > 200 ? payload.length + " bytes" : text());
    }
}
