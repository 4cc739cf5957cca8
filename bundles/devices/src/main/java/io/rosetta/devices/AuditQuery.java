package io.rosetta.devices;

import java.time.Instant;

/**
 * Which audit records to read: of one device or all ({@code deviceId == null}), from {@code since} on (inclusive,
 * {@code null}: from the start), at most the newest {@code limit} (oldest first in the answer).
 */
public record AuditQuery(String deviceId, Instant since, int limit) {

    public AuditQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static AuditQuery of(String deviceId, int limit) {
        return new AuditQuery(deviceId, null, limit);
    }
}
