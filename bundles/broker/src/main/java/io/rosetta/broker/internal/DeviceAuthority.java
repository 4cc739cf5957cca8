package io.rosetta.broker.internal;

/**
 * The device registry as the embedded broker uses it: password checks, each device's topics, and word of revoked
 * credentials. {@link RegistryAuthority} implements it on the {@code DeviceRegistry} service; keeping the broker's own
 * classes free of the registry's types lets the broker run where the registry is not installed.
 */
public interface DeviceAuthority {

    enum Outcome {
        ACCEPTED, UNKNOWN, BAD_CREDENTIALS, NOT_ALLOWED, BUSY
    }

    /** The answer to a CONNECT: the device and its topics when accepted. */
    record Verdict(Outcome outcome, String deviceId, TopicAcl acl) {
    }

    /** Told of changes that concern connected devices; called on the registry's thread, must return quickly. */
    interface Watcher {

        /** The credentials of this MQTT username stopped working (suspension, decommissioning, a credential change). */
        void revoked(String username, String deviceId);

        /** The topics of this MQTT username may have changed. */
        void topicsChanged(String username);
    }

    Verdict authenticate(String username, byte[] password);

    /** The topics of the device that has this MQTT username now, or {@code null} when none may connect with it. */
    TopicAcl acl(String username);

    /** Whether a device with this MQTT username may be connected now (PROVISIONED or ACTIVE); cheaper than {@link #acl}. */
    boolean mayConnect(String username);

    void watch(Watcher watcher);

    void unwatch(Watcher watcher);
}
