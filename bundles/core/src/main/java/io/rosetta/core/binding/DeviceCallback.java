package io.rosetta.core.binding;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.Map;
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

    /**
     * Reports the properties of several features that one device message carried (by feature id), as one
     * change of the twin: one revision, one journal record, one event whose value is the merge patch at
     * {@code /features}. The change is taken whole or refused whole: a value that breaks the twin's model
     * refuses the others of the message too, and this method returns {@code false}. Features with empty
     * properties are skipped. By default each feature is reported on its own.
     */
    default boolean reportFeatures(Map<String, JsonObject> properties) {
        boolean all = true;
        for (Map.Entry<String, JsonObject> e : properties.entrySet()) {
            if (e.getValue() != null && !e.getValue().isEmpty() && !reportProperties(e.getKey(), e.getValue())) {
                all = false;
            }
        }
        return all;
    }

    /** Reports the device's connectivity (e.g. OFFLINE / COMMUNICATION_ERROR). */
    void updateStatus(ConnectivityStatus status);

    /** The twin as the registry holds it now. */
    Optional<Thing> twin();

    /** The core's shared scheduler; handlers never start threads of their own. */
    ScheduledExecutorService scheduler();
}
