package io.rosetta.binding.virtual.internal;

/** Names the virtual binding shares with its configuration and the core. */
public final class VirtualBindingConstants {

    /** The binding id devices carry ({@code Device.bindingId()}). */
    public static final String BINDING_ID = "virtual";

    /** The factory PID of fleet configurations: {@code etc/io.rosetta.binding.virtual-<name>.cfg}. */
    public static final String FLEET_PID = "io.rosetta.binding.virtual";

    /** Device configuration: milliseconds between two reports. */
    public static final String CONFIG_INTERVAL_MILLIS = "intervalMillis";

    /** Device configuration: the fleet (configuration) the device belongs to. */
    public static final String CONFIG_FLEET = "fleet";

    private VirtualBindingConstants() {
    }
}
