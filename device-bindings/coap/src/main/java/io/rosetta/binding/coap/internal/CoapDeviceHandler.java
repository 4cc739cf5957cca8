package io.rosetta.binding.coap.internal;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import io.rosetta.binding.coap.internal.senml.SenmlMapper;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CoAP endpoint. Its readings arrive through the server's resources and through observations of its
 * resources (already mapped onto its model); its status follows its registration in the Resource
 * Directory (registered: {@code ONLINE}; lifetime expired or removed: {@code OFFLINE}). Desired state
 * goes to the device as a confirmable PUT; a 2.xx answer is reported as the property's new value, no
 * answer makes the twin {@code OFFLINE/COMMUNICATION_ERROR}. Desired state that could not be sent (not
 * registered) is sent when the endpoint registers.
 */
final class CoapDeviceHandler implements DeviceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CoapDeviceHandler.class);

    private final Device device;
    private final DeviceCallback callback;
    private final CoapRuntime runtime;
    private final ModelRegistry models;
    private final Set<String> unsent = new LinkedHashSet<>();
    private DeviceSession session;
    private boolean disposed;

    CoapDeviceHandler(Device device, DeviceCallback callback, CoapRuntime runtime, ModelRegistry models) {
        this.device = device;
        this.callback = callback;
        this.runtime = runtime;
        this.models = models;
    }

    ThingId thingId() {
        return device.thingId();
    }

    /**
     * Takes the endpoint's registration, or its status without one. Holds the handler's lock from the lookup to the
     * status, so that a registration arriving meanwhile ({@link #registered}) comes after it and is not overwritten.
     */
    @Override
    public synchronized void initialize() {
        Map<String, JsonObject> waiting = runtime.register(this);
        Registration r = runtime.registration(device.thingId());
        if (r != null) {
            registered(r, true);
        } else {
            updateStatus(runtime.status(device.thingId()));
        }
        if (!waiting.isEmpty()) {
            report(waiting);
        }
    }

    /** Reports mapped properties; returns false when the registry refused any of them. */
    synchronized boolean report(Map<String, JsonObject> features) {
        if (disposed) {
            return true;
        }
        boolean all = true;
        for (Map.Entry<String, JsonObject> e : features.entrySet()) {
            if (!e.getValue().isEmpty() && !callback.reportProperties(e.getKey(), e.getValue())) {
                all = false;
            }
        }
        return all;
    }

    synchronized void updateStatus(ConnectivityStatus status) {
        if (!disposed) {
            callback.updateStatus(status);
        }
    }

    /** The endpoint registered: ONLINE; observations (re)started for a new registration or changed links. */
    synchronized void registered(Registration r, boolean fresh) {
        if (disposed) {
            return;
        }
        updateStatus(ConnectivityStatus.ONLINE);
        DeviceChannel channel = runtime.channel();
        if (channel == null) {
            return;
        }
        if (session == null || fresh || !session.registration().base().equals(r.base())
                || !session.registration().links().equals(r.links())) {
            if (session != null) {
                session.close();
            }
            session = new DeviceSession(r, channel);
            session.observe();
            resendUnsent();
        }
    }

    synchronized void unregistered(ConnectivityStatus status) {
        if (session != null) {
            session.close();
            session = null;
        }
        updateStatus(status);
    }

    @Override
    public synchronized void handleDesiredProperties(String featureId, JsonObject desired) {
        if (disposed) {
            return;
        }
        ThingModel model = device.model() == null ? null : models.model(device.model()).orElse(null);
        if (session == null || model == null) {
            unsent.add(featureId);
            return;
        }
        JsonObject reported = callback.twin().flatMap(t -> t.feature(featureId)).map(Feature::properties).orElse(JsonObject.empty());
        desired.forEach((property, value) -> send(model, featureId, property, value, reported.getOrNull(property)));
    }

    private void send(ThingModel model, String feature, String property, JsonValue value, JsonValue reported) {
        PropertyModel p = SenmlMapper.property(model, feature, property);
        if (p == null || p.readOnly() || value.equals(reported)) {
            return; // not a writable property of the model, or already so
        }
        Registration.Link link = session.writable(feature, property);
        if (link == null) {
            LOG.debug("{}: no registered resource carries {}/{}", device.thingId(), feature, property);
            return;
        }
        DeviceSession s = session;
        s.put(link, model, feature, property, value).whenComplete((ok, error) -> {
            runtime.countCommand(error == null && ok);
            if (error == null && ok) {
                report(Map.of(feature, JsonObject.of(property, value)));
            } else if (cause(error) instanceof TimeoutException t) {
                synchronized (this) {
                    if (session == s) {
                        updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, t.getMessage()));
                    }
                }
            } else {
                LOG.warn("{}: the device refused {}/{} = {} on {}", device.thingId(), feature, property, value, link.path());
            }
        });
    }

    private void resendUnsent() {
        if (unsent.isEmpty()) {
            return;
        }
        Set<String> features = new LinkedHashSet<>(unsent);
        unsent.clear();
        callback.twin().ifPresent(t -> features.forEach(f -> t.feature(f)
                .ifPresent(feature -> handleDesiredProperties(f, feature.desiredProperties()))));
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public synchronized void dispose() {
        disposed = true;
        if (session != null) {
            session.close();
            session = null;
        }
        runtime.unregister(this);
    }
}
