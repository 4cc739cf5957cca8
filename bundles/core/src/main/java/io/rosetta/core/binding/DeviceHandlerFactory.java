package io.rosetta.core.binding;

/**
 * What a binding bundle publishes as an OSGi service: it creates one {@link DeviceHandler} per
 * device the core attaches to it. When the service goes away (the binding is uninstalled), the
 * core disposes the handlers and marks their twins OFFLINE; it never deletes twins.
 */
public interface DeviceHandlerFactory {

    /** A short, stable id such as {@code virtual} or {@code mqtt}. */
    String bindingId();

    DeviceHandler createHandler(Device device, DeviceCallback callback);
}
