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
     * device is attached with). {@code attributes} are what the device's twin gets when the device is approved
     * (vendor, model, network ids); they travel with the device into the inbox.
     */
    record Report(ThingId thingId, String model, JsonObject configuration, Map<String, JsonObject> features, boolean attach,
                  JsonObject attributes) implements Decoded {
        public Report {
            Objects.requireNonNull(thingId, "thingId");
            Objects.requireNonNull(model, "model");
            features = Map.copyOf(features);
            attributes = attributes == null ? JsonObject.empty() : attributes;
        }

        public Report(ThingId thingId, String model, JsonObject configuration, Map<String, JsonObject> features, boolean attach) {
            this(thingId, model, configuration, features, attach, JsonObject.empty());
        }
    }

    /**
     * A discovery message announced a device (a Home Assistant discovery config) without carrying its
     * state. A device of a dialect that is not auto-approved lands in the inbox on it; otherwise it
     * becomes a twin with its first {@link Report}.
     */
    record Announcement(ThingId thingId, String model, JsonObject configuration, JsonObject attributes) implements Decoded {
        public Announcement {
            Objects.requireNonNull(thingId, "thingId");
            Objects.requireNonNull(model, "model");
            configuration = configuration == null ? JsonObject.empty() : configuration;
            attributes = attributes == null ? JsonObject.empty() : attributes;
        }
    }

    /** The device says it is online or offline (Zigbee2MQTT availability, Tasmota LWT, Sparkplug BIRTH and DEATH). */
    record Availability(ThingId thingId, boolean online) implements Decoded {
    }

    /** Nothing to do (a message the dialect knows but does not map: a bridge log, our own command). */
    record Ignored(String why) implements Decoded {
    }
}
