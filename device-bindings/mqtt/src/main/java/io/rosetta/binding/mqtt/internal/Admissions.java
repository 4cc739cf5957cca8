package io.rosetta.binding.mqtt.internal;

import io.rosetta.core.model.ThingId;

/**
 * The device registry's word on data from a twin's device, as the MQTT binding needs it. {@link RegistryAdmissions}
 * implements it on the {@code DeviceRegistry} service; the binding's own classes stay free of the registry's types, so
 * that the binding runs where the registry is not installed.
 */
public interface Admissions {

    enum Verdict {
        /** A registered device that may send data (a PROVISIONED one is ACTIVE from now on). */
        ACCEPT,
        /** A SUSPENDED or DECOMMISSIONED device: drop its data. */
        REFUSE,
        /** No registry entry: the binding's own policy (the inbox) applies. */
        UNREGISTERED
    }

    /** Called for every message that reaches a twin; marks first contact. Cheap for registered ACTIVE and unregistered devices. */
    Verdict admit(ThingId thingId);
}
