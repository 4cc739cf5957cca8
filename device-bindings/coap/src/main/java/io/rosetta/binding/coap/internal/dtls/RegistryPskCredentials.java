package io.rosetta.binding.coap.internal.dtls;

import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Pre-shared keys from the device registry, asked first while it runs; identities it does not know go to
 * {@code fallback} (the configuration). An identity the registry knows is decided by the registry alone: a key
 * only for a {@code PROVISIONED} or {@code ACTIVE} device ({@link DeviceRegistry#pskKey}), nothing for a
 * suspended one, whatever the configuration holds. A registry device authenticates as the endpoint named by its
 * device id, and its sessions carry that id (its twin and model come from the registry).
 */
public final class RegistryPskCredentials implements PskCredentials {

    private final Supplier<DeviceRegistry> registry;
    private final PskCredentials fallback;

    /** {@code registry} gives the registry now, {@code null} while there is none. */
    public RegistryPskCredentials(Supplier<DeviceRegistry> registry, PskCredentials fallback) {
        this.registry = registry;
        this.fallback = fallback;
    }

    @Override
    public Optional<Credential> lookup(String identity) {
        DeviceRegistry r = registry.get();
        if (r != null) {
            Optional<Device> device = r.byPskIdentity(identity);
            if (device.isPresent()) {
                Optional<byte[]> key = r.pskKey(identity);
                if (key.isEmpty()) {
                    return Optional.empty();
                }
                byte[] k = key.get();
                try {
                    String id = device.get().deviceId();
                    return Optional.of(new Credential(id, k, id));
                } finally {
                    Arrays.fill(k, (byte) 0);
                }
            }
        }
        return fallback.lookup(identity);
    }
}
