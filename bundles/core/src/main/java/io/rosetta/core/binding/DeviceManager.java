package io.rosetta.core.binding;

import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The core service that binds devices to bindings. A binding (or provisioning) attaches a
 * device; the core creates its twin when absent (definition = the device's model), asks the
 * binding's {@link DeviceHandlerFactory} for a handler, initializes it, and forwards desired-state
 * changes of the twin to it.
 */
public interface DeviceManager {

    /**
     * Attaches a device; idempotent for the same device, and a device with a changed
     * configuration gets a new handler. Creates the twin when absent; while the binding's factory
     * is missing the twin is {@code OFFLINE/BINDING_MISSING} and the device waits for it. Throws
     * {@link io.rosetta.core.model.TwinException} when the twin cannot be created or is decommissioned.
     */
    void attach(Device device);

    /** Disposes the device's handler and marks its twin {@code OFFLINE/GONE}; the twin is kept. */
    void detach(ThingId thingId);

    Optional<Device> device(ThingId thingId);

    Collection<Device> devices(String bindingId);

    /** Ids of the bindings whose factories are registered now. */
    Collection<String> bindings();

    /** Invokes an action on the device behind a twin; fails with 404/503-style errors when absent. */
    CompletionStage<JsonValue> sendCommand(ThingId thingId, String action, JsonValue input);
}
