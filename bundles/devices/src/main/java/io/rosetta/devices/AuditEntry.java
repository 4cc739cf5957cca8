package io.rosetta.devices;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.time.Instant;

/**
 * One record of the audit trail: who did what to which device, when, and why.
 *
 * @param seq      its position in the registry's history (increasing)
 * @param time     when
 * @param actor    who: a user ({@code admin}), a token ({@code token:ci}), a binding on first contact ({@code binding})
 * @param deviceId the device
 * @param action   what kind of change
 * @param detail   what changed ({@code PROVISIONED -> ACTIVE}, {@code mqtt password}, {@code +interval -mode})
 * @param reason   why, as the actor gave it; {@code null} when none was given
 */
public record AuditEntry(long seq, Instant time, String actor, String deviceId, Action action, String detail, String reason) {

    public enum Action {
        PROVISIONED, STATE_CHANGED, CREDENTIALS_CHANGED, CREDENTIALS_REVOKED, CONFIGURATION_CHANGED
    }

    public JsonObject toJson() {
        return JsonObject.newBuilder().set("seq", seq).set("time", time.toString()).set("actor", actor).set("deviceId", deviceId)
                .set("action", action.name()).set("detail", JsonValue.of(detail)).set("reason", JsonValue.of(reason)).build();
    }
}
