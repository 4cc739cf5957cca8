package io.rosetta.devices;

/**
 * Follows the registry's changes (whiteboard: publish an implementation as an OSGi service). Called after each
 * change is committed, in the order of commits, on the thread that made it: return quickly (hand work such as a push
 * to a broker to your own executor). An exception is logged and counted, and does not undo the change.
 *
 * <p>To start in sync, register the listener first, then read {@link DeviceRegistry#devices()}.
 */
@FunctionalInterface
public interface DeviceListener {

    void deviceChanged(DeviceEvent event);
}
