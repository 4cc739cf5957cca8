package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ThingId;
import java.util.List;
import java.util.Optional;

/**
 * One vendor's way of speaking MQTT. It names the topic filters it needs, turns a message into
 * {@link Decoded} results (reported model properties of a device, its availability, devices a bridge
 * announces) and a desired state into the messages the device understands. Implementations keep no
 * connection and start no work; they are called one message at a time per broker connection.
 */
public interface Dialect {

    /** {@code generic}, {@code zigbee2mqtt}, {@code tasmota}: the counter and configuration name. */
    String id();

    /** The MQTT topic filters to subscribe to. */
    List<String> subscriptions();

    /** Whether a topic belongs to this dialect (by default: it matches one of its subscriptions). */
    default boolean claims(String topic) {
        for (String filter : subscriptions()) {
            if (Topics.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads one message. Throws {@link RejectedException} for a message that must be refused as a
     * whole (malformed, wrong types, out of range, unknown topic, no model fits).
     */
    List<Decoded> decode(String topic, byte[] payload, KnownDevices known) throws RejectedException;

    /**
     * The messages that ask a device to take a feature's desired properties; empty when the dialect
     * or the device cannot set any of them.
     */
    List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException;

    /** What a dialect may know about attached devices. */
    @FunctionalInterface
    interface KnownDevices {
        /** The model of the attached device behind a thing id. */
        Optional<String> model(ThingId thingId);
    }

    /** An attached device as a dialect addresses it. */
    record DeviceRef(ThingId thingId, String model, JsonObject configuration) {

        public String address() {
            return configuration.get(Decoded.ADDRESS).map(v -> v instanceof io.rosetta.core.json.JsonString s ? s.value() : null).orElse(null);
        }

        public String text(String key) {
            return configuration.get(key).map(v -> v instanceof io.rosetta.core.json.JsonString s ? s.value() : null).orElse(null);
        }
    }
}
