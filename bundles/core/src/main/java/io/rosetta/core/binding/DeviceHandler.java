package io.rosetta.core.binding;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The life of one device inside a binding. {@link #initialize()} must not block: it starts the
 * work (on the core's scheduler or supervisor) and reports status through the callback. Errors
 * become a status with a detail, not exceptions thrown at the core.
 */
public interface DeviceHandler {

    void initialize();

    /**
     * The twin's {@code desiredProperties} of a feature changed (or, right after
     * {@link #initialize()}, the twin already holds some); send them to the device in its own
     * dialect. The reported properties converge when the device confirms. Calls for one device
     * are serialized, in the order of the changes, on the core's scheduler; the same desired state
     * may arrive more than once, so apply it idempotently.
     */
    default void handleDesiredProperties(String featureId, JsonObject desiredProperties) {
    }

    /** Invokes an action of the device's model (e.g. {@code reboot}); completes with its output. */
    default CompletionStage<JsonValue> handleCommand(String action, JsonValue input) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("action '" + action + "' is not supported"));
    }

    /**
     * Stops all work of this device; must not block for long. Afterwards the handler's callback
     * refuses reports and status updates.
     */
    void dispose();
}
