package io.rosetta.devices;

/** What {@link DeviceRegistry#markContact} answers a binding that heard from a device. */
public enum Admission {
    /** A PROVISIONED (now ACTIVE) or ACTIVE device: take its data. */
    ACCEPT,
    /** A SUSPENDED or DECOMMISSIONED device: drop its data. */
    REFUSE,
    /** The registry does not know the device: the binding's own policy applies (e.g. an inbox of discovered devices). */
    UNREGISTERED
}
