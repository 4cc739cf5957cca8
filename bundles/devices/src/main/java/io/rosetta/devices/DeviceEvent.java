package io.rosetta.devices;

/**
 * A change the registry committed, told to every {@link DeviceListener}.
 *
 * @param type            what kind of change
 * @param before          the device before ({@code null} for {@link Type#PROVISIONED})
 * @param after           the device after
 * @param actor           who made it
 * @param reason          why ({@code null} when not given)
 * @param newMqttPassword the MQTT password in the clear, only in the event of the change that set it (provisioning or
 *                        a credential change with a password), for enforcement points that must hand it to a broker
 *                        that hashes it its own way (Mosquitto's dynamic security plugin); never stored, {@code null}
 *                        otherwise and when it was given as a hash
 */
public record DeviceEvent(Type type, Device before, Device after, String actor, String reason, String newMqttPassword) {

    public enum Type {
        PROVISIONED, LIFECYCLE_CHANGED, CREDENTIALS_CHANGED, CONFIGURATION_CHANGED
    }

    /** Whether the credentials changed (always on provisioning, on credential changes and on decommissioning). */
    public boolean credentialsChanged() {
        return before == null || before.credentials().version() != after.credentials().version();
    }

    /** Whether the device's credentials were usable before and are not now (suspended, decommissioned, removed). */
    public boolean revoked() {
        return before != null && before.acceptsCredentials() && !after.acceptsCredentials();
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "DeviceEvent[type=" + type + ", device=" + after.deviceId() + ", state=" + (before == null ? "-" : before.state()) + "->"
                + after.state() + ", actor=" + actor + ", reason=" + reason + ", newMqttPassword=" + (newMqttPassword != null ? "***" : null) + "]";
    }
}
