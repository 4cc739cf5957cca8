package io.rosetta.binding.mqtt.internal;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Creates an {@link MqttDeviceHandler} for every device of the {@code mqtt} binding. */
@Component(service = DeviceHandlerFactory.class)
public final class MqttHandlerFactory implements DeviceHandlerFactory {

    private final MqttRuntime runtime;

    @Activate
    public MqttHandlerFactory(@Reference MqttRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String bindingId() {
        return MqttBindingConstants.BINDING_ID;
    }

    @Override
    public DeviceHandler createHandler(Device device, DeviceCallback callback) {
        return new MqttDeviceHandler(device, callback, runtime);
    }
}
