package io.rosetta.binding.virtual.internal;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.models.ModelRegistry;
import java.time.Duration;
import java.util.SplittableRandom;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Creates a {@link VirtualDeviceHandler} for every device of the {@code virtual} binding. */
@Component(service = DeviceHandlerFactory.class)
public final class VirtualHandlerFactory implements DeviceHandlerFactory {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final ModelRegistry models;
    private final SplittableRandom seeds = new SplittableRandom();

    @Activate
    public VirtualHandlerFactory(@Reference ModelRegistry models) {
        this.models = models;
    }

    @Override
    public String bindingId() {
        return VirtualBindingConstants.BINDING_ID;
    }

    @Override
    public DeviceHandler createHandler(Device device, DeviceCallback callback) {
        return new VirtualDeviceHandler(device, callback, models, interval(device), nextRandom());
    }

    private synchronized SplittableRandom nextRandom() {
        return seeds.split();
    }

    static Duration interval(Device device) {
        return device.configuration().get(VirtualBindingConstants.CONFIG_INTERVAL_MILLIS)
                .filter(v -> v instanceof JsonNumber n && n.longValue() >= 1)
                .map(v -> Duration.ofMillis(((JsonNumber) v).longValue()))
                .orElse(DEFAULT_INTERVAL);
    }
}
