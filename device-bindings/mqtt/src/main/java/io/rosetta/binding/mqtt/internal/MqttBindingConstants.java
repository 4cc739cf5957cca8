package io.rosetta.binding.mqtt.internal;

/** Names the MQTT binding shares with its configuration and the core. */
public final class MqttBindingConstants {

    /** The binding id devices carry ({@code Device.bindingId()}). */
    public static final String BINDING_ID = "mqtt";

    /** Factory PID of broker connections: {@code etc/io.rosetta.binding.mqtt.broker-<name>.cfg}. */
    public static final String BROKER_PID = "io.rosetta.binding.mqtt.broker";

    /** Factory PID of generic JSON mappings: {@code etc/io.rosetta.binding.mqtt.generic-<name>.cfg}. */
    public static final String GENERIC_PID = "io.rosetta.binding.mqtt.generic";

    /** PID of the binding-wide settings: {@code etc/io.rosetta.binding.mqtt.cfg}. */
    public static final String BINDING_PID = "io.rosetta.binding.mqtt";

    /** Device configuration: the broker connection (its name) the device is reached through. */
    public static final String CONFIG_BROKER = "broker";

    /** Device configuration: the dialect the device speaks. */
    public static final String CONFIG_DIALECT = "dialect";

    private MqttBindingConstants() {
    }
}
