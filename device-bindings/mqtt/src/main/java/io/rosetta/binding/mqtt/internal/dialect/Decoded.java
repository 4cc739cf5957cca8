package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ThingId;
import java.util.Map;
import java.util.Objects;

/** What a dialect read from one message. */
public sealed interface Decoded {

    /** Device configuration key: the device's address in its dialect (friendly name, Tasmota topic, ...). */
    String ADDRESS = "address";

    /**
     * Reported properties of a device (by feature id, already in model units and checked against the
     * model). {@code model} is the device's semantic model; {@code attach} is false while a dialect
     * waits for a better message to decide the device's model ({@code configuration} is what the
     * device is attached with).
     */
    record Report(ThingId thingId, String model, JsonObject configuration, Map<String, JsonObject> features, boolean attach)
            implements Decoded {
        public Report {
            Objects.requireNonNull(thingId, "thingId");
            Objects.requireNonNull(model, "model");
            features = Map.copyOf(features);
        }
    }

    /** The device says it is online or offline (Zigbee2MQTT availability, Tasmota LWT). */
    record Availability(ThingId thingId, boolean online) implements Decoded {
    }

    /** Nothing to do (a message the dialect knows but does not map: a bridge log, our own command). */
    record Ignored(String why) implements Decoded {
    }
}
