package io.rosetta.binding.mqtt;

import java.time.Instant;
import java.util.Objects;

/**
 * A refused message as the binding kept it: when, on which broker connection, the dialect that
 * read it, why, the topic, the payload's size and its first bytes (as text), and the error.
 */
public record DeadLetter(Instant time, String broker, String dialect, RejectReason reason, String topic, int payloadSize,
                         String payloadExcerpt, String message) {

    public DeadLetter {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
    }
}
