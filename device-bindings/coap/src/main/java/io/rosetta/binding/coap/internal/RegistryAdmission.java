package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.Admission;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the device registry decides for the CoAP binding while it runs: the device of a registry credential (its
 * twin and model), and admission at first contact ({@link DeviceRegistry#markContact}). A registration asks every
 * time; a reading only while its device waits for its first contact (provisioned after the endpoint registered),
 * so the hot path costs one look into an (almost always empty) set. Without a registry everything is admitted.
 */
public final class RegistryAdmission {

    private volatile DeviceRegistry registry;
    private final Set<ThingId> awaitingContact = ConcurrentHashMap.newKeySet();

    /** The registry now, {@code null} while there is none. */
    public DeviceRegistry registry() {
        return registry;
    }

    void bind(DeviceRegistry r) {
        registry = r;
    }

    void unbind(DeviceRegistry r) {
        if (registry == r) {
            registry = null;
            awaitingContact.clear();
        }
    }

    /**
     * The registry device whose DTLS credential authenticated a session: refused when the registry is gone (it made
     * the session) or no longer knows the device.
     */
    Device device(String deviceId) throws RejectedException {
        DeviceRegistry r = registry;
        if (r == null) {
            throw new RejectedException(RejectReason.FORBIDDEN, "the device registry that authenticated device '" + deviceId
                    + "' is not running");
        }
        return r.device(deviceId).orElseThrow(() -> new RejectedException(RejectReason.NOT_ADMITTED, "device '" + deviceId
                + "' is not in the device registry"));
    }

    /**
     * A registry device that authenticates with a pre-shared key, when {@code endpoint} names one: such an endpoint
     * registers with that key only, not with another credential or plain CoAP.
     */
    Optional<Device> pskDevice(String endpoint) {
        DeviceRegistry r = registry;
        return r == null ? Optional.empty() : r.device(endpoint).filter(d -> d.credentials().hasPsk());
    }

    /**
     * First contact at a registration: a {@code PROVISIONED} device becomes {@code ACTIVE}; a suspended or
     * decommissioned one is refused (4.03). A device the registry does not know is admitted.
     */
    void admit(String deviceId, ThingId thingId) throws RejectedException {
        DeviceRegistry r = registry;
        if (r == null) {
            return;
        }
        Admission a = deviceId != null ? r.markContact(deviceId) : r.markContact(thingId);
        if (a == Admission.REFUSE) {
            throw new RejectedException(RejectReason.NOT_ADMITTED, "the device registry does not admit "
                    + (deviceId != null ? "device '" + deviceId + "'" : "the device of " + thingId) + ": it is suspended or decommissioned");
        }
        if (deviceId != null && a == Admission.UNREGISTERED) {
            throw new RejectedException(RejectReason.NOT_ADMITTED, "device '" + deviceId + "' is not in the device registry");
        }
        awaitingContact.remove(thingId);
    }

    /** Before a reading reaches the twin: the first contact of a device provisioned while its endpoint was registered. */
    void reading(Registration r) throws RejectedException {
        if (!awaitingContact.isEmpty() && awaitingContact.contains(r.thingId())) {
            admit(null, r.thingId());
        }
    }

    /** A device was provisioned for a twin that has a registration now: its next reading is its first contact. */
    void awaitContact(ThingId thingId) {
        awaitingContact.add(thingId);
    }
}
