package io.rosetta.binding.virtual.internal;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated device: reports values of its model's properties at its interval on the core's
 * scheduler, and takes desired properties it can take, confirming them as reported properties.
 */
final class VirtualDeviceHandler implements DeviceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualDeviceHandler.class);

    private final Device device;
    private final DeviceCallback callback;
    private final ModelRegistry models;
    private final Duration interval;
    private final RandomGenerator random;

    private DeviceSimulation simulation;
    private ScheduledFuture<?> reporting;
    private boolean disposed;
    private int modelLookups;

    VirtualDeviceHandler(Device device, DeviceCallback callback, ModelRegistry models, Duration interval, RandomGenerator random) {
        this.device = device;
        this.callback = callback;
        this.models = models;
        this.interval = interval;
        this.random = random;
    }

    @Override
    public synchronized void initialize() {
        start();
    }

    /**
     * Starts simulating once the model is known. Models may arrive after the binding (a model
     * bundle that starts later, a file dropped into {@code etc/models/}): until then the device is
     * {@code OFFLINE/CONFIGURATION_ERROR} and looks again after 1 s, 2 s, 4 s ... up to 30 s.
     */
    private synchronized void start() {
        if (disposed) {
            return;
        }
        reporting = null;
        Optional<ThingModel> model = models.model(device.model());
        if (model.isEmpty()) {
            callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR,
                    "Unknown model '" + device.model() + "'"));
            schedule(this::start, modelRetryDelay().toMillis(), 0);
            modelLookups++;
            return;
        }
        simulation = new DeviceSimulation(model.get(), new ValueGenerator(random));
        if (simulation.isEmpty()) {
            callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR,
                    "The model '" + device.model() + "' has no features with properties to simulate"));
            return;
        }
        long period = interval.toMillis();
        // devices of a fleet start spread over the first interval (at most a second), not all at once
        long firstDelay = random.nextLong(Math.min(period, 1000) + 1);
        if (schedule(this::report, firstDelay, period)) {
            callback.updateStatus(ConnectivityStatus.ONLINE);
        }
    }

    /** Schedules on the core's scheduler (periodically when {@code period > 0}); reports an overloaded scheduler as status. */
    private boolean schedule(Runnable task, long delayMillis, long periodMillis) {
        try {
            reporting = periodMillis > 0
                    ? callback.scheduler().scheduleWithFixedDelay(task, delayMillis, periodMillis, TimeUnit.MILLISECONDS)
                    : callback.scheduler().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR,
                    "The scheduler is overloaded: " + e.getMessage()));
            return false;
        }
    }

    /**
     * The wait before the next look for a missing model: 250 ms, doubling up to 1 s. A look is a
     * map lookup, so looking often is cheap, and a model that arrives late (the model bundle starts
     * after the binding at boot) is picked up within a second.
     */
    synchronized Duration modelRetryDelay() {
        return Duration.ofMillis(Math.min(1000L, 250L << Math.min(modelLookups, 2)));
    }

    /** One reporting round: every feature moves one step and is reported. */
    synchronized void report() {
        if (disposed || simulation == null) {
            return;
        }
        for (String feature : simulation.features()) {
            JsonObject values = simulation.step(feature);
            if (!values.isEmpty() && !callback.reportProperties(feature, values)) {
                LOG.debug("Report of {} feature '{}' was refused", device.thingId(), feature);
            }
        }
    }

    @Override
    public synchronized void handleDesiredProperties(String featureId, JsonObject desiredProperties) {
        if (disposed || simulation == null) {
            return;
        }
        JsonObject confirmed = simulation.applyDesired(featureId, desiredProperties);
        if (!confirmed.isEmpty()) {
            callback.reportProperties(featureId, confirmed);
        }
    }

    @Override
    public synchronized void dispose() {
        disposed = true;
        if (reporting != null) {
            reporting.cancel(false);
            reporting = null;
        }
    }

    /** The simulated values of a feature now (for tests and diagnostics). */
    synchronized JsonObject values(String featureId) {
        return simulation == null ? JsonObject.empty() : simulation.values(featureId);
    }
}
