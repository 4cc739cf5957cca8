package io.rosetta.core.internal.binding;

import io.rosetta.core.binding.BindingStatistics;
import io.rosetta.core.binding.BindingStats;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinListener;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.core.registry.TwinTemplates;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds devices to the bindings that serve them. Keeps one attachment per device; when the
 * device's {@link DeviceHandlerFactory} is registered it runs a handler for it, otherwise the
 * attachment waits and the twin is {@code OFFLINE/BINDING_MISSING}. Reports go to the registry
 * (refusals are counted and logged at a bounded rate, never thrown at the binding); changes of
 * {@code desiredProperties} go to the handler, in order per device, on the core's scheduler.
 */
@Component(service = {DeviceManager.class, BindingStatistics.class}, immediate = true, configurationPid = DeviceManagerImpl.PID)
@Designate(ocd = DeviceManagerImpl.Config.class)
public final class DeviceManagerImpl implements DeviceManager, BindingStatistics {

    public static final String PID = "io.rosetta.core.devices";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceManagerImpl.class);
    private static final String FEATURES = "features";
    private static final String PROPERTIES = "properties";
    private static final JsonPointer FEATURES_PATH = JsonPointer.of(FEATURES);
    private static final String DESIRED = "desiredProperties";

    @ObjectClassDefinition(name = "Rosetta device manager", description = "How the core runs binding handlers")
    public @interface Config {
        @AttributeDefinition(description = "Tasks (desired-state changes, commands) that may wait per device")
        int deviceQueueCapacity() default 256;

        @AttributeDefinition(description = "Seconds between two log lines about the same kind of refused report of a binding")
        int logIntervalSeconds() default 30;
    }

    private final TwinRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final int queueCapacity;
    private final RateLimitedLog rateLimited;

    private final Object lock = new Object();
    private final ConcurrentHashMap<ThingId, Attachment> attachments = new ConcurrentHashMap<>();
    /** Registered factories per binding id; the first one serves, the others wait. Guarded by {@link #lock}. */
    private final Map<String, Deque<DeviceHandlerFactory>> factories = new HashMap<>();
    private final ConcurrentHashMap<String, BindingCounters> counters = new ConcurrentHashMap<>();
    private final TwinListener events = this::onEvent;
    private volatile boolean active = true;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TwinTemplates templates;

    @Activate
    public DeviceManagerImpl(@Reference TwinRegistry registry,
                             @Reference(target = ConnectionSupervisorImpl.SCHEDULER) ScheduledExecutorService scheduler, Config config) {
        this(registry, scheduler, Clock.systemUTC(), config.deviceQueueCapacity(), config.logIntervalSeconds());
    }

    /** Sets the twin templates directly (tests outside OSGi). */
    void setTemplates(TwinTemplates templates) {
        this.templates = templates;
    }

    DeviceManagerImpl(TwinRegistry registry, ScheduledExecutorService scheduler, Clock clock, int queueCapacity, int logIntervalSeconds) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = clock;
        this.queueCapacity = Math.max(1, queueCapacity);
        this.rateLimited = new RateLimitedLog(LOG, Math.max(1, logIntervalSeconds), TimeUnit.SECONDS, System::nanoTime);
        registry.listen(events);
    }

    // ---- factories --------------------------------------------------------------------------

    @Reference(name = "factory", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeFactory")
    public void addFactory(DeviceHandlerFactory factory) {
        String bindingId = factory.bindingId();
        synchronized (lock) {
            Deque<DeviceHandlerFactory> queue = factories.computeIfAbsent(bindingId, k -> new ArrayDeque<>());
            queue.addLast(factory);
            if (queue.size() > 1) {
                LOG.warn("A second factory for binding '{}' was registered ({}); it waits until the first one goes away",
                        bindingId, factory.getClass().getName());
                return;
            }
            counters(bindingId);
            int started = 0;
            for (Attachment a : attachments.values()) {
                if (a.device.bindingId().equals(bindingId)) {
                    startHandler(a, factory);
                    started++;
                }
            }
            LOG.info("Binding '{}' is available; {} waiting devices started", bindingId, started);
        }
    }

    public void removeFactory(DeviceHandlerFactory factory) {
        String bindingId = factory.bindingId();
        synchronized (lock) {
            Deque<DeviceHandlerFactory> queue = factories.get(bindingId);
            if (queue == null) {
                return;
            }
            boolean serving = queue.peekFirst() == factory;
            queue.remove(factory);
            if (!serving) {
                return;
            }
            int stopped = 0;
            for (Attachment a : attachments.values()) {
                if (a.device.bindingId().equals(bindingId) && a.factory == factory) {
                    stopHandler(a);
                    stopped++;
                }
            }
            DeviceHandlerFactory next = queue.peekFirst();
            if (next == null) {
                factories.remove(bindingId);
                ConnectivityStatus missing = bindingMissing(bindingId);
                for (Attachment a : attachments.values()) {
                    if (a.device.bindingId().equals(bindingId) && active) {
                        setStatus(a, missing);
                    }
                }
                LOG.info("Binding '{}' went away; {} devices stopped and marked {}", bindingId, stopped, missing);
            } else {
                LOG.info("Binding '{}' changed its factory; restarting {} devices", bindingId, stopped);
                for (Attachment a : attachments.values()) {
                    if (a.device.bindingId().equals(bindingId)) {
                        startHandler(a, next);
                    }
                }
            }
        }
    }

    private static ConnectivityStatus bindingMissing(String bindingId) {
        return ConnectivityStatus.offline(ConnectivityStatus.Detail.BINDING_MISSING, "The binding '" + bindingId + "' is not installed");
    }

    // ---- DeviceManager ----------------------------------------------------------------------

    @Override
    public void attach(Device device) {
        Objects.requireNonNull(device, "device");
        if (!active) {
            throw new IllegalStateException("The device manager is stopped");
        }
        synchronized (lock) {
            Attachment existing = attachments.get(device.thingId());
            if (existing != null && existing.device.equals(device)) {
                return;
            }
            ensureTwin(device);
            if (existing != null) {
                stopHandler(existing);
                LOG.debug("Device {} attached again with a new configuration", device.thingId());
            }
            Attachment a = new Attachment(device, new SerialQueue("device " + device.thingId(), scheduler, queueCapacity),
                    counters(device.bindingId()));
            attachments.put(device.thingId(), a);
            Deque<DeviceHandlerFactory> queue = factories.get(device.bindingId());
            DeviceHandlerFactory factory = queue == null ? null : queue.peekFirst();
            if (factory != null) {
                startHandler(a, factory);
            } else {
                setStatus(a, bindingMissing(device.bindingId()));
            }
        }
    }

    private void ensureTwin(Device device) {
        Optional<Thing> twin = registry.retrieve(device.thingId());
        if (twin.isPresent()) {
            if (twin.get().lifecycle() == LifecycleState.DECOMMISSIONED) {
                throw TwinException.notModifiable(device.thingId(), "it is decommissioned and cannot be attached to a binding");
            }
            return;
        }
        try {
            TwinTemplates t = templates;
            Thing first = t == null || device.model() == null ? null : t.newTwin(device.thingId(), device.model()).orElse(null);
            registry.create(first != null ? first : Thing.newBuilder(device.thingId()).definition(device.model()).build());
            LOG.debug("Created the twin {} (model {}) for binding '{}'", device.thingId(), device.model(), device.bindingId());
        } catch (TwinException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    @Override
    public void detach(ThingId thingId) {
        synchronized (lock) {
            Attachment a = attachments.remove(thingId);
            if (a == null) {
                return;
            }
            stopHandler(a);
            setStatus(a, ConnectivityStatus.offline(ConnectivityStatus.Detail.GONE,
                    "Detached from the binding '" + a.device.bindingId() + "'"));
        }
    }

    @Override
    public Optional<Device> device(ThingId thingId) {
        Attachment a = attachments.get(thingId);
        return a == null ? Optional.empty() : Optional.of(a.device);
    }

    @Override
    public Collection<Device> devices(String bindingId) {
        List<Device> out = new ArrayList<>();
        for (Attachment a : attachments.values()) {
            if (a.device.bindingId().equals(bindingId)) {
                out.add(a.device);
            }
        }
        out.sort((x, y) -> x.thingId().compareTo(y.thingId()));
        return out;
    }

    @Override
    public Collection<String> bindings() {
        synchronized (lock) {
            return List.copyOf(new TreeSet<>(factories.keySet()));
        }
    }

    @Override
    public CompletionStage<JsonValue> sendCommand(ThingId thingId, String action, JsonValue input) {
        Attachment a = attachments.get(thingId);
        if (a == null) {
            return CompletableFuture.failedFuture(new TwinException(404, "things:device.notattached",
                    "No binding serves the Thing with ID '" + thingId + "'.", "Attach the device to a binding first."));
        }
        CompletableFuture<JsonValue> result = new CompletableFuture<>();
        boolean queued = a.queue.offer(() -> {
            DeviceHandler h = a.handler;
            if (h == null) {
                result.completeExceptionally(unavailable(a));
                return;
            }
            try {
                h.handleCommand(action, input).whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                a.counters.handlerFailures.increment();
                result.completeExceptionally(e);
            }
        });
        if (!queued) {
            result.completeExceptionally(new TwinException(503, "things:device.busy",
                    "The device '" + thingId + "' has too many pending tasks.", "Retry later."));
        }
        return result;
    }

    private static TwinException unavailable(Attachment a) {
        return new TwinException(503, "things:binding.unavailable",
                "The binding '" + a.device.bindingId() + "' that serves '" + a.device.thingId() + "' is not running.",
                "Install or start the binding.");
    }

    // ---- BindingStatistics ------------------------------------------------------------------

    @Override
    public List<BindingStats> bindingStats() {
        Set<String> ids = new TreeSet<>(counters.keySet());
        synchronized (lock) {
            ids.addAll(factories.keySet());
        }
        List<BindingStats> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(stats(id));
        }
        return out;
    }

    @Override
    public Optional<BindingStats> bindingStats(String bindingId) {
        boolean known;
        synchronized (lock) {
            known = counters.containsKey(bindingId) || factories.containsKey(bindingId);
        }
        return known ? Optional.of(stats(bindingId)) : Optional.empty();
    }

    private BindingStats stats(String bindingId) {
        boolean available;
        synchronized (lock) {
            available = factories.containsKey(bindingId);
        }
        int devices = 0;
        int handlers = 0;
        for (Attachment a : attachments.values()) {
            if (a.device.bindingId().equals(bindingId)) {
                devices++;
                if (a.handler != null) {
                    handlers++;
                }
            }
        }
        BindingCounters c = counters(bindingId);
        return new BindingStats(bindingId, available, devices, handlers, c.reports.sum(), c.refused.sum(), c.refusedByReason(),
                c.desiredForwarded.sum(), c.desiredDropped.sum(), c.handlerFailures.sum());
    }

    private BindingCounters counters(String bindingId) {
        return counters.computeIfAbsent(bindingId, k -> new BindingCounters());
    }

    // ---- handlers ---------------------------------------------------------------------------

    /** Creates and initializes the handler of {@code a}; call with {@link #lock} held. */
    private void startHandler(Attachment a, DeviceHandlerFactory factory) {
        Callback callback = new Callback(a);
        DeviceHandler handler;
        try {
            handler = factory.createHandler(a.device, callback);
            if (handler == null) {
                throw new IllegalStateException("the factory returned no handler");
            }
        } catch (RuntimeException e) {
            a.counters.handlerFailures.increment();
            LOG.warn("Binding '{}' could not create a handler for {}: {}", a.device.bindingId(), a.device.thingId(), e.toString());
            setStatus(a, ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR, SupervisedConnectionImpl.describe(e)));
            return;
        }
        a.factory = factory;
        a.handler = handler;
        a.callback = callback;
        setStatus(a, ConnectivityStatus.of(ConnectivityStatus.Status.UNKNOWN, ConnectivityStatus.Detail.HANDLER_INITIALIZING));
        boolean queued = a.queue.offer(() -> {
            if (!callback.valid) {
                return;
            }
            try {
                handler.initialize();
            } catch (RuntimeException e) {
                a.counters.handlerFailures.increment();
                LOG.warn("The handler of {} (binding '{}') failed to initialize", a.device.thingId(), a.device.bindingId(), e);
                callback.updateStatus(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR,
                        SupervisedConnectionImpl.describe(e)));
                return;
            }
            a.initialized = handler;
            deliverStoredDesired(a, callback, handler);
        });
        if (!queued) {
            LOG.warn("The handler of {} could not be initialized: the scheduler refused it", a.device.thingId());
        }
    }

    /** After initialize: hands the handler the desired state the twin holds, so that the device converges to it. */
    private void deliverStoredDesired(Attachment a, Callback callback, DeviceHandler handler) {
        Optional<Thing> twin = registry.retrieve(a.device.thingId());
        if (twin.isEmpty()) {
            return;
        }
        for (Feature f : twin.get().features()) {
            JsonObject desired = f.desiredProperties();
            if (desired != null && !desired.isEmpty() && callback.valid) {
                deliverDesired(a, handler, f.id(), desired);
            }
        }
    }

    private void deliverDesired(Attachment a, DeviceHandler handler, String featureId, JsonObject desired) {
        try {
            handler.handleDesiredProperties(featureId, desired);
            a.counters.desiredForwarded.increment();
        } catch (RuntimeException e) {
            a.counters.handlerFailures.increment();
            rateLimited.warn(a.device.bindingId() + "/desired", "The handler of " + a.device.thingId() + " (binding '"
                    + a.device.bindingId() + "') failed on desired properties of '" + featureId + "': " + e);
        }
    }

    /** Disposes the handler of {@code a}, if any; its callback stops working at once. Call with {@link #lock} held. */
    private void stopHandler(Attachment a) {
        Callback callback = a.callback;
        DeviceHandler handler = a.handler;
        a.callback = null;
        a.handler = null;
        a.initialized = null;
        a.factory = null;
        a.queue.clear();
        if (callback != null) {
            callback.valid = false;
        }
        if (handler != null) {
            try {
                handler.dispose();
            } catch (RuntimeException e) {
                a.counters.handlerFailures.increment();
                LOG.warn("The handler of {} (binding '{}') failed to dispose", a.device.thingId(), a.device.bindingId(), e);
            }
        }
    }

    private void setStatus(Attachment a, ConnectivityStatus status) {
        try {
            registry.updateConnectivity(a.device.thingId(), status);
        } catch (RuntimeException e) {
            rateLimited.warn(a.device.bindingId() + "/status", "Could not set the status of " + a.device.thingId() + " to "
                    + status + ": " + e.getMessage());
        }
    }

    // ---- desired-state events ---------------------------------------------------------------

    /** Heard on the writing thread (a {@link TwinListener}): it only queues work on the device's serial queue. */
    private void onEvent(TwinEvent event) {
        Attachment a = attachments.get(event.thingId());
        if (a == null) {
            return;
        }
        if (event.type() == TwinEvent.Type.DELETED && event.path().isEmpty()) {
            a.queue.offer(() -> removeDeleted(a));
            return;
        }
        if (event.type() == TwinEvent.Type.CONNECTIVITY_CHANGED || event.type() == TwinEvent.Type.LIFECYCLE_CHANGED
                || event.thing() == null) {
            return;
        }
        for (String featureId : desiredFeatures(event)) {
            Feature f = event.thing().feature(featureId).orElse(null);
            JsonObject desired = f == null || f.desiredProperties() == null ? JsonObject.empty() : f.desiredProperties();
            boolean queued = a.queue.offer(() -> {
                // before initialize has run, the handler gets the stored desired state right after it instead
                DeviceHandler h = a.initialized;
                if (h != null && h == a.handler) {
                    deliverDesired(a, h, featureId, desired);
                }
            });
            if (!queued) {
                a.counters.desiredDropped.increment();
                rateLimited.warn(a.device.bindingId() + "/dropped", "Desired properties of " + a.device.thingId()
                        + " dropped: the device's queue is full");
            }
        }
    }

    /**
     * The features whose {@code desiredProperties} an event touched. A replacement or removal of a feature,
     * of {@code /features} or of the root counts for every feature that has desired properties; a merge
     * counts by the leaves its patch touched.
     */
    static Set<String> desiredFeatures(TwinEvent event) {
        Set<String> out = new LinkedHashSet<>();
        List<JsonPointer> paths = new ArrayList<>(event.changedPaths());
        if (event.type() != TwinEvent.Type.MERGED) {
            // a merge's changed leaves are exact (a report of several features is a merge at /features that touches no desired state)
            paths.add(event.path());
        }
        for (JsonPointer p : paths) {
            if (p == null) {
                continue;
            }
            if (p.size() >= 3 && p.get(0).equals(FEATURES) && p.get(2).equals(DESIRED)) {
                out.add(p.get(1));
            } else if (p.size() == 2 && p.get(0).equals(FEATURES)) {
                withDesired(event.thing(), p.get(1), out);
            } else if (p.isEmpty() || (p.size() == 1 && p.get(0).equals(FEATURES))) {
                for (Feature f : event.thing().features()) {
                    withDesired(event.thing(), f.id(), out);
                }
            }
        }
        return out;
    }

    private static void withDesired(Thing thing, String featureId, Set<String> out) {
        thing.feature(featureId).ifPresent(f -> {
            if (f.desiredProperties() != null && !f.desiredProperties().isEmpty()) {
                out.add(featureId);
            }
        });
    }

    private void removeDeleted(Attachment a) {
        synchronized (lock) {
            if (attachments.remove(a.device.thingId(), a)) {
                stopHandler(a);
                LOG.info("The twin {} was deleted; its device is detached from binding '{}'", a.device.thingId(), a.device.bindingId());
            }
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        registry.unlisten(events);
        synchronized (lock) {
            for (Attachment a : attachments.values()) {
                stopHandler(a);
            }
            attachments.clear();
            factories.clear();
        }
    }

    // ---- inner types ------------------------------------------------------------------------

    /** One device: its binding, its handler while one runs, its ordered task queue. */
    private static final class Attachment {
        final Device device;
        final SerialQueue queue;
        final BindingCounters counters;
        volatile DeviceHandlerFactory factory;
        volatile DeviceHandler handler;
        /** The handler once its initialize() has returned; desired state goes only to an initialized handler. */
        volatile DeviceHandler initialized;
        volatile Callback callback;

        Attachment(Device device, SerialQueue queue, BindingCounters counters) {
            this.device = device;
            this.queue = queue;
            this.counters = counters;
        }
    }

    /** The handler's way back; stops working the moment its handler is disposed. */
    private final class Callback implements DeviceCallback {
        private final Attachment a;
        volatile boolean valid = true;

        Callback(Attachment a) {
            this.a = a;
        }

        @Override
        public ThingId thingId() {
            return a.device.thingId();
        }

        @Override
        public boolean reportProperties(String featureId, JsonObject properties) {
            if (!valid) {
                return false;
            }
            if (featureId == null || featureId.isEmpty() || properties == null) {
                refused("invalid.argument", "a feature id and properties are required");
                return false;
            }
            return report(JsonPointer.of(FEATURES, featureId, PROPERTIES), properties);
        }

        @Override
        public boolean reportFeatures(Map<String, JsonObject> properties) {
            if (!valid) {
                return false;
            }
            if (properties == null) {
                refused("invalid.argument", "features and their properties are required");
                return false;
            }
            String single = null;
            int count = 0;
            for (Map.Entry<String, JsonObject> e : properties.entrySet()) {
                if (e.getKey() == null || e.getKey().isEmpty()) {
                    refused("invalid.argument", "a feature id and properties are required");
                    return false;
                }
                if (e.getValue() != null && !e.getValue().isEmpty()) {
                    single = e.getKey();
                    count++;
                }
            }
            if (count <= 1) {
                return count == 0 || reportProperties(single, properties.get(single));
            }
            JsonObject.Builder patch = JsonObject.newBuilder();
            properties.forEach((featureId, props) -> {
                if (props != null && !props.isEmpty()) {
                    patch.set(featureId, JsonObject.of(PROPERTIES, props));
                }
            });
            return report(FEATURES_PATH, patch.build());
        }

        /** One report into the twin; a refusal is counted and logged, never thrown at the binding. */
        private boolean report(JsonPointer path, JsonObject patch) {
            try {
                registry.report(a.device.thingId(), path, patch, clock.millis());
                a.counters.reports.increment();
                return true;
            } catch (TwinException e) { // a ModelViolationException too: things:model.violation
                refused(e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                refused(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            }
            return false;
        }

        private void refused(String reason, String message) {
            a.counters.refused(reason);
            rateLimited.warn(a.device.bindingId() + "/" + reason, "Binding '" + a.device.bindingId() + "': report of "
                    + a.device.thingId() + " refused (" + reason + "): " + message);
        }

        @Override
        public void updateStatus(ConnectivityStatus status) {
            if (valid && status != null) {
                setStatus(a, status);
            }
        }

        @Override
        public Optional<Thing> twin() {
            return registry.retrieve(a.device.thingId());
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }
    }
}
