package io.rosetta.binding.coap;

import java.time.Instant;
import java.util.Objects;

/**
 * A refused request as the binding kept it: when, from which peer (address and DTLS identity, if any),
 * for which endpoint and resource, why, the content format, the payload's size and its first bytes, and
 * the error.
 */
public record DeadLetter(Instant time, String peer, String endpoint, String path, RejectReason reason, int contentFormat,
                         int payloadSize, String payloadExcerpt, String message) {

    public DeadLetter {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
    }
}
