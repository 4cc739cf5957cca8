package io.rosetta.devices;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered device: its id, the twin it feeds, the binding that serves it, its semantic model, where it is in its
 * life, its credentials and its desired configuration (as last set through the registry).
 *
 * @param deviceId      the device's own id, {@code [A-Za-z0-9][A-Za-z0-9._-]*} (at most 128 characters); never reused
 * @param thingId       its twin
 * @param binding       the id of the binding that serves it ({@code mqtt}, {@code coap}, ...), {@code null} when unassigned
 * @param modelId       the WoT Thing Model of its twin
 * @param state         its lifecycle state
 * @param credentials   its credentials ({@link Credentials#none()} after decommissioning)
 * @param configuration the desired configuration; the twin's {@code configuration} feature carries it to the device
 * @param created       when it was provisioned
 * @param updated       when the registry last changed it
 */
public record Device(String deviceId, ThingId thingId, String binding, String modelId, LifecycleState state, Credentials credentials,
                     JsonObject configuration, Instant created, Instant updated) {

    public Device {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(state, "state");
        credentials = credentials == null ? Credentials.none() : credentials;
        configuration = configuration == null ? JsonObject.empty() : configuration;
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }

    /**
     * Whether its credentials may authenticate it now: it is {@code PROVISIONED} (not yet seen) or {@code ACTIVE}.
     * A suspended or decommissioned device is refused.
     */
    public boolean acceptsCredentials() {
        return state == LifecycleState.PROVISIONED || state == LifecycleState.ACTIVE;
    }

    /** Whether data from it is accepted: the same states as {@link #acceptsCredentials()}. */
    public boolean acceptsData() {
        return acceptsCredentials();
    }

    public Device withState(LifecycleState next, Instant at) {
        return new Device(deviceId, thingId, binding, modelId, next, credentials, configuration, created, at);
    }

    public Device withCredentials(Credentials next, Instant at) {
        return new Device(deviceId, thingId, binding, modelId, state, next, configuration, created, at);
    }

    public Device withConfiguration(JsonObject next, Instant at) {
        return new Device(deviceId, thingId, binding, modelId, state, credentials, next, created, at);
    }

    /**
     * The device as the API and the shell show it: credentials by their public parts only (username, identity,
     * fingerprint, and whether a password or key is set), never a hash or a key.
     */
    public JsonObject toJson() {
        JsonObject.Builder cred = JsonObject.newBuilder().set("version", credentials.version());
        if (credentials.mqttUsername() != null) {
            cred.set("mqttUsername", credentials.mqttUsername());
        }
        cred.set("mqttPassword", credentials.mqttPasswordHash() != null);
        if (credentials.pskIdentity() != null) {
            cred.set("pskIdentity", credentials.pskIdentity());
        }
        cred.set("pskKey", credentials.sealedPskKey() != null);
        if (credentials.x509Sha256() != null) {
            cred.set("x509Sha256", credentials.x509Sha256());
        }
        JsonObject.Builder b = JsonObject.newBuilder()
                .set("deviceId", deviceId)
                .set("thingId", thingId.toString());
        if (binding != null) {
            b.set("binding", binding);
        }
        if (modelId != null) {
            b.set("model", modelId);
        }
        return b.set("state", state.name())
                .set("credentials", cred.build())
                .set("configuration", configuration)
                .set("created", created.toString())
                .set("updated", updated.toString())
                .build();
    }
}
