package io.rosetta.binding.mqtt.internal;

import io.rosetta.core.model.ThingId;
import io.rosetta.devices.DeviceRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link Admissions} from the device registry: {@link DeviceRegistry#markContact(ThingId)} answers from its in-memory
 * index (two map lookups) and takes its write lock only for the first message of a PROVISIONED device, which it moves
 * to ACTIVE. Active only where the registry runs.
 */
@Component(service = Admissions.class)
public final class RegistryAdmissions implements Admissions {

    private final DeviceRegistry registry;

    @Activate
    public RegistryAdmissions(@Reference DeviceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Verdict admit(ThingId thingId) {
        return switch (registry.markContact(thingId)) {
            case ACCEPT -> Verdict.ACCEPT;
            case REFUSE -> Verdict.REFUSE;
            case UNREGISTERED -> Verdict.UNREGISTERED;
        };
    }
}
