package io.rosetta.binding.coap.internal;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import io.rosetta.models.ModelRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Creates a {@link CoapDeviceHandler} for every device of the {@code coap} binding. */
@Component(service = DeviceHandlerFactory.class)
public final class CoapHandlerFactory implements DeviceHandlerFactory {

    private final CoapRuntime runtime;
    private final ModelRegistry models;

    @Activate
    public CoapHandlerFactory(@Reference CoapRuntime runtime, @Reference ModelRegistry models) {
        this.runtime = runtime;
        this.models = models;
    }

    @Override
    public String bindingId() {
        return CoapBindingConstants.BINDING_ID;
    }

    @Override
    public DeviceHandler createHandler(Device device, DeviceCallback callback) {
        return new CoapDeviceHandler(device, callback, runtime, models);
    }
}
