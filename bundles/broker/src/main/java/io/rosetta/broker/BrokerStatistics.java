package io.rosetta.broker;

import java.util.Map;

/**
 * Read-only state and counters of the embedded MQTT broker since it started: whether it runs and where, how it
 * authenticates, connects accepted and refused per reason, publications and subscriptions outside a device's topics,
 * and sessions closed because the registry revoked a device's credentials.
 */
public interface BrokerStatistics {

    /** Why a CONNECT was refused. */
    enum ConnectRefusal {
        /** No device has this MQTT username. */
        UNKNOWN,
        /** The device exists, the password is wrong (or missing). */
        BAD_CREDENTIALS,
        /** The credentials are right, but the device is SUSPENDED or DECOMMISSIONED. */
        NOT_ALLOWED,
        /** The registry refused to check the password now (too many Argon2id checks waiting). */
        BUSY,
        /** Devices are authenticated against the device registry, and its service is not available (starting, updating). */
        REGISTRY_UNAVAILABLE,
        /** The service account's username with a wrong password. */
        SERVICE_ACCOUNT
    }

    /** Whether Moquette runs. */
    boolean running();

    /** The port it listens on, -1 when it does not run. */
    int port();

    /** Whether devices are authenticated against the device registry (and restricted to their topics). */
    boolean authenticatesDevices();

    /** Whether clients without a username are let in. */
    boolean anonymousAllowed();

    /** CONNECTs of registry devices accepted. */
    long acceptedDevices();

    /** CONNECTs of the service account accepted. */
    long acceptedService();

    /** Refused CONNECTs per reason (every reason present, 0 when none). */
    Map<ConnectRefusal, Long> refused();

    long refused(ConnectRefusal reason);

    /** Publications of devices refused because the topic is not one of theirs. */
    long deniedPublishes();

    /** Subscriptions of devices refused because the filter is not covered by theirs. */
    long deniedSubscriptions();

    /** Sessions closed because their device was suspended, decommissioned or its MQTT credentials changed. */
    long revocationDisconnects();

    /** Sessions of registry devices the broker holds now. */
    int deviceSessions();
}
