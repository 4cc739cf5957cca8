package io.rosetta.devices;

import io.rosetta.core.model.LifecycleState;
import java.util.Map;

/**
 * Counters of the registry since it started.
 *
 * @param devices          devices known (decommissioned ones included)
 * @param byState          devices per lifecycle state
 * @param authAccepted     authentications accepted (MQTT, PSK, certificate)
 * @param authRefused      authentications refused, by {@link AuthResult.Outcome}
 * @param cacheHits        MQTT passwords verified from the verified-credential cache (no KDF)
 * @param kdfVerifications MQTT passwords verified with Argon2id
 * @param kdfMillis        time spent in those verifications
 * @param importedRows     devices provisioned by imports
 * @param rejectedRows     import rows rejected
 * @param refused          operations refused (bad input, unknown ids, illegal transitions), by error code
 * @param listenerFailures listener calls that threw
 */
public record DeviceStats(int devices, Map<LifecycleState, Integer> byState, long authAccepted, Map<String, Long> authRefused,
                          long cacheHits, long kdfVerifications, long kdfMillis, long importedRows, long rejectedRows,
                          Map<String, Long> refused, long listenerFailures) {

    public DeviceStats {
        byState = Map.copyOf(byState);
        authRefused = Map.copyOf(authRefused);
        refused = Map.copyOf(refused);
    }
}
