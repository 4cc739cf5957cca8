package io.rosetta.binding.coap.internal;

/** Names of the CoAP binding. */
public final class CoapBindingConstants {

    /** The binding id in {@code Device.bindingId()}. */
    public static final String BINDING_ID = "coap";
    /** Config Admin PID of the server ({@code etc/io.rosetta.binding.coap.cfg}). */
    public static final String PID = "io.rosetta.binding.coap";
    /** Device configuration: the registered endpoint name. */
    public static final String CONFIG_ENDPOINT = "endpoint";
    /** The Resource Directory's registration interface. */
    public static final String RD = "rd";
    /** Where devices POST or PUT their readings: {@code /dev/<endpoint>}. */
    public static final String DEVICE_DATA = "dev";

    private CoapBindingConstants() {
    }
}
