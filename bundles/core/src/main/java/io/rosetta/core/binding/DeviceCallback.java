package io.rosetta.core.binding;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/** How a handler talks back to the core: state, status, and the core's scheduler. */
public interface DeviceCallback {

    ThingId thingId();

    /**
     * Reports properties of a feature, as a merge patch onto its reported {@code properties}.
     * Values that break the twin's model are refused, counted and logged; the twin stays as it was
     * and this method returns {@code false}.
     */
    boolean reportProperties(String featureId, JsonObject properties);

    /** Reports the device's connectivity (e.g. OFFLINE / COMMUNICATION_ERROR). */
    void updateStatus(ConnectivityStatus status);

    /** The twin as the registry holds it now. */
    Optional<Thing> twin();

    /** The core's shared scheduler; handlers never start threads of their own. */
    ScheduledExecutorService scheduler();
}
