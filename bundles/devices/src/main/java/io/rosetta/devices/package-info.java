/**
 * The device registry: which devices may talk to Rosetta, as which twin, through which binding and with
 * which credentials. {@link io.rosetta.devices.DeviceRegistry} is the service; {@link io.rosetta.devices.Device}
 * and the other records are immutable values. Enforcement points (MQTT brokers, the DTLS handshake) ask the
 * registry ({@code authenticateMqtt}, {@code pskKey}, {@code authenticateCertificate}) and follow its changes
 * as {@link io.rosetta.devices.DeviceListener} services.
 */
package io.rosetta.devices;
