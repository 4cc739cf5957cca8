package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One MQTT device. Its messages arrive through its broker connection (which hands the mapped
 * properties here); its status follows the broker connection and what the device says about itself
 * (availability, LWT); desired properties go out in its dialect through the broker connection, and
 * are sent again after a reconnect when they could not be sent.
 */
final class MqttDeviceHandler implements DeviceHandler {

    private final Device device;
    private final DeviceCallback callback;
    private final MqttRuntime runtime;
    private final String broker;
    private final Set<String> unsent = new LinkedHashSet<>();
    private boolean disposed;

    MqttDeviceHandler(Device device, DeviceCallback callback, MqttRuntime runtime) {
        this.device = device;
        this.callback = callback;
        this.runtime = runtime;
        this.broker = device.configuration().getOrNull(MqttBindingConstants.CONFIG_BROKER) instanceof JsonString s ? s.value() : null;
    }

    ThingId thingId() {
        return device.thingId();
    }

    String brokerName() {
        return broker;
    }

    Dialect.DeviceRef ref() {
        return new Dialect.DeviceRef(device.thingId(), device.model(), device.configuration());
    }

    String dialect() {
        return device.configuration().getOrNull(MqttBindingConstants.CONFIG_DIALECT) instanceof JsonString s ? s.value() : null;
    }

    @Override
    public void initialize() {
        Map<String, JsonObject> waiting = runtime.register(this);
        refreshStatus();
        if (!waiting.isEmpty()) {
            report(waiting);
        }
    }

    /**
     * Reports mapped properties, the features of one message as one change of the twin (taken or refused
     * whole); features the device's model does not have were filtered by the mapping.
     */
    synchronized boolean report(Map<String, JsonObject> features) {
        if (disposed) {
            return true;
        }
        return callback.reportFeatures(features);
    }

    /** Sets the twin's status from the broker connection's state and the device's own availability. */
    synchronized void refreshStatus() {
        if (disposed) {
            return;
        }
        MqttBrokerConnection b = runtime.broker(broker);
        if (b == null) {
            callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR,
                    "MQTT broker connection '" + broker + "' is not configured"));
            return;
        }
        switch (b.linkState()) {
            case CONNECTED -> {
                Boolean available = runtime.availability(device.thingId());
                callback.updateStatus(Boolean.FALSE.equals(available)
                        ? ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, "the device reported itself offline")
                        : ConnectivityStatus.ONLINE);
            }
            case DOWN -> callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR,
                    "MQTT broker '" + broker + "' unreachable: " + b.lastProblem()));
            case INVALID -> callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR,
                    "MQTT broker connection '" + broker + "' is misconfigured: " + b.lastProblem()));
            default -> {
                // connecting, or lost within the grace period: keep the status
            }
        }
    }

    @Override
    public synchronized void handleDesiredProperties(String featureId, JsonObject desiredProperties) {
        if (disposed) {
            return;
        }
        MqttBrokerConnection b = runtime.broker(broker);
        if (b == null || !b.send(this, featureId, desiredProperties)) {
            unsent.add(featureId);
        } else {
            unsent.remove(featureId);
        }
    }

    /** After a reconnect: sends the desired state that could not be sent, as the twin holds it now. */
    synchronized void resendDesired() {
        if (disposed || unsent.isEmpty()) {
            return;
        }
        Thing twin = callback.twin().orElse(null);
        for (String f : Set.copyOf(unsent)) {
            JsonObject desired = twin == null ? JsonObject.empty() : twin.feature(f).map(Feature::desiredProperties).orElse(JsonObject.empty());
            unsent.remove(f);
            if (!desired.isEmpty()) {
                handleDesiredProperties(f, desired);
            }
        }
    }

    @Override
    public synchronized void dispose() {
        disposed = true;
        unsent.clear();
        runtime.unregister(this);
    }
}
