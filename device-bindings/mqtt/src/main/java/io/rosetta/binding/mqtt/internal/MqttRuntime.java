package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.DeadLetter;
import io.rosetta.binding.mqtt.MqttBindingStatistics;
import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.binding.mqtt.internal.mapping.MappingCatalog;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of the MQTT binding share: the broker connections by name, the running device
 * handlers, reports that arrived before their device's handler ran, the devices' own availability,
 * the generic mappings, the dialect mapping files, and the counters and dead letters.
 */
@Component(service = {MqttRuntime.class, MqttBindingStatistics.class}, configurationPid = MqttBindingConstants.BINDING_PID)
public final class MqttRuntime implements MqttBindingStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(MqttRuntime.class);

    static final int DEFAULT_DEAD_LETTERS = 100;
    static final int MAX_PENDING_DEVICES = 10_000;
    static final int MAX_AVAILABILITY = 100_000;
    static final int EXCERPT_BYTES = 256;
    static final long WARN_INTERVAL_MILLIS = 30_000;

    private final MappingCatalog catalog;
    private final Clock clock;
    private final int deadLetterCapacity;
    private final Map<String, MqttBrokerConnection> brokers = new ConcurrentHashMap<>();
    private final Map<ThingId, MqttDeviceHandler> handlers = new HashMap<>();
    private final Map<ThingId, Map<String, JsonObject>> pending = new LinkedHashMap<>();
    private final Map<ThingId, Boolean> availability = new ConcurrentHashMap<>();
    private final Map<String, GenericMappingConfig> generic = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final Map<Rejection, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final Map<Rejection, AtomicLong> lastWarned = new ConcurrentHashMap<>();
    private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();

    /** The device registry's admissions, where the registry runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Admissions admissions;

    @Activate
    public MqttRuntime(Map<String, Object> properties) {
        this(MappingCatalog.load(MqttRuntime.class.getClassLoader()), deadLetters(properties), Clock.systemUTC());
    }

    public MqttRuntime(MappingCatalog catalog, int deadLetterCapacity, Clock clock) {
        this.catalog = catalog;
        this.deadLetterCapacity = deadLetterCapacity;
        this.clock = clock;
    }

    private static int deadLetters(Map<String, Object> p) {
        Object v = p == null ? null : p.get("deadLetters");
        try {
            int n = v == null ? DEFAULT_DEAD_LETTERS : Integer.parseInt(String.valueOf(v).trim());
            return Math.max(0, Math.min(100_000, n));
        } catch (NumberFormatException e) {
            LOG.error("{}: deadLetters must be a whole number but was '{}'; using {}", MqttBindingConstants.BINDING_PID, v, DEFAULT_DEAD_LETTERS);
            return DEFAULT_DEAD_LETTERS;
        }
    }

    public MappingCatalog catalog() {
        return catalog;
    }

    // ---- broker connections ----

    void addBroker(MqttBrokerConnection broker) {
        MqttBrokerConnection old = brokers.put(broker.name(), broker);
        if (old != null && old != broker) {
            LOG.warn("Two MQTT broker configurations are named '{}'; the newer one serves its devices", broker.name());
        }
        refreshDevicesOf(broker.name());
    }

    void removeBroker(MqttBrokerConnection broker) {
        if (brokers.remove(broker.name(), broker)) {
            refreshDevicesOf(broker.name());
        }
    }

    MqttBrokerConnection broker(String name) {
        return name == null ? null : brokers.get(name);
    }

    /** Tells the handlers of a broker's devices that its state changed. */
    void refreshDevicesOf(String broker) {
        for (MqttDeviceHandler h : handlersOf(broker)) {
            h.refreshStatus();
        }
    }

    List<MqttDeviceHandler> handlersOf(String broker) {
        List<MqttDeviceHandler> out = new ArrayList<>();
        synchronized (handlers) {
            for (MqttDeviceHandler h : handlers.values()) {
                if (broker.equals(h.brokerName())) {
                    out.add(h);
                }
            }
        }
        return out;
    }

    // ---- handlers and reports that wait for them ----

    /** Registers a handler and returns the reports that arrived before it ran (merged per feature). */
    Map<String, JsonObject> register(MqttDeviceHandler handler) {
        synchronized (handlers) {
            handlers.put(handler.thingId(), handler);
            Map<String, JsonObject> waiting = pending.remove(handler.thingId());
            return waiting == null ? Map.of() : waiting;
        }
    }

    void unregister(MqttDeviceHandler handler) {
        synchronized (handlers) {
            handlers.remove(handler.thingId(), handler);
        }
    }

    MqttDeviceHandler handler(ThingId id) {
        synchronized (handlers) {
            return handlers.get(id);
        }
    }

    /**
     * Hands reported features to the device's handler; when it has none yet (it is being attached),
     * keeps them (merged, bounded) until it registers. Returns {@code false} when the registry refused
     * some of them.
     */
    boolean deliver(ThingId id, Map<String, JsonObject> features) {
        MqttDeviceHandler h;
        synchronized (handlers) {
            h = handlers.get(id);
            if (h == null) {
                pend(id, features);
                return true;
            }
        }
        return h.report(features);
    }

    /** Keeps features for a device without a handler; oldest devices are dropped beyond the bound. */
    void pend(ThingId id, Map<String, JsonObject> features) {
        synchronized (handlers) {
            Map<String, JsonObject> waiting = pending.computeIfAbsent(id, k -> new LinkedHashMap<>());
            features.forEach((f, props) -> waiting.merge(f, props, JsonObject::setAll));
            if (pending.size() > MAX_PENDING_DEVICES) {
                ThingId eldest = pending.keySet().iterator().next();
                pending.remove(eldest);
            }
        }
    }

    void dropPending(ThingId id) {
        synchronized (handlers) {
            pending.remove(id);
        }
    }

    // ---- device availability ----

    void availability(ThingId id, boolean online) {
        if (availability.size() < MAX_AVAILABILITY || availability.containsKey(id)) {
            availability.put(id, online);
        }
        MqttDeviceHandler h = handler(id);
        if (h != null) {
            h.refreshStatus();
        }
    }

    /** What the device last said about itself: {@code null} when it said nothing. */
    Boolean availability(ThingId id) {
        return availability.get(id);
    }

    // ---- generic mappings ----

    void putGenericMapping(GenericMappingConfig mapping) {
        generic.put(mapping.name(), mapping);
        brokers.values().forEach(MqttBrokerConnection::genericMappingsChanged);
    }

    void removeGenericMapping(String name) {
        if (generic.remove(name) != null) {
            brokers.values().forEach(MqttBrokerConnection::genericMappingsChanged);
        }
    }

    Collection<GenericMappingConfig> genericMappings() {
        return new TreeMap<>(generic).values();
    }

    // ---- the device registry ----

    /** Outside OSGi (tests): the admissions to ask, {@code null} for none. */
    void setAdmissions(Admissions admissions) {
        this.admissions = admissions;
    }

    /**
     * Whether data for a twin may be taken: without a registry, or for a device it does not know, yes; a registered
     * device's first message marks its first contact; a SUSPENDED or DECOMMISSIONED device's data is refused
     * ({@link RejectReason#NOT_ADMITTED}, counted, no twin change).
     */
    boolean admit(String broker, String dialect, ThingId id, String topic, byte[] payload) {
        Admissions a = admissions;
        if (a == null || a.admit(id) != Admissions.Verdict.REFUSE) {
            return true;
        }
        reject(broker, dialect, RejectReason.NOT_ADMITTED, topic, payload, id + " is suspended or decommissioned in the device registry");
        return false;
    }

    // ---- counters ----

    void received(String dialect) {
        received.computeIfAbsent(dialect, k -> new LongAdder()).increment();
    }

    void accepted(String dialect) {
        accepted.computeIfAbsent(dialect, k -> new LongAdder()).increment();
    }

    /** Counts a protocol or inbox event of a dialect (the names are the binding's own constants). */
    void countEvent(String dialect, String event) {
        events.computeIfAbsent(dialect + "." + event, k -> new LongAdder()).increment();
    }

    /** Counts a refused message, keeps a dead letter, and logs at most once per dialect and reason every 30 s. */
    void reject(String broker, String dialect, RejectReason reason, String topic, byte[] payload, String message) {
        Rejection key = new Rejection(dialect, reason);
        rejected.computeIfAbsent(key, k -> new LongAdder()).increment();
        int size = payload == null ? 0 : payload.length;
        String excerpt = payload == null ? "" : new String(payload, 0, Math.min(size, EXCERPT_BYTES), StandardCharsets.UTF_8);
        if (deadLetterCapacity > 0) {
            DeadLetter letter = new DeadLetter(clock.instant(), broker, dialect, reason, topic, size, excerpt, message);
            synchronized (deadLetters) {
                if (deadLetters.size() >= deadLetterCapacity) {
                    deadLetters.pollFirst();
                }
                deadLetters.addLast(letter);
            }
        }
        long now = clock.millis();
        AtomicLong last = lastWarned.computeIfAbsent(key, k -> new AtomicLong(Long.MIN_VALUE));
        long previous = last.get();
        if ((previous == Long.MIN_VALUE || now - previous >= WARN_INTERVAL_MILLIS) && last.compareAndSet(previous, now)) {
            LOG.warn("MQTT {} message on '{}' (broker {}) refused as {}: {} (further ones are counted, see the dead letters)",
                    dialect, topic, broker, reason, message);
        } else {
            LOG.debug("MQTT {} message on '{}' (broker {}) refused as {}: {}", dialect, topic, broker, reason, message);
        }
    }

    @Override
    public Map<String, Long> received() {
        return snapshot(received);
    }

    @Override
    public Map<String, Long> accepted() {
        return snapshot(accepted);
    }

    @Override
    public Map<Rejection, Long> rejected() {
        Map<Rejection, Long> out = new LinkedHashMap<>();
        rejected.forEach((k, v) -> out.put(k, v.sum()));
        return Map.copyOf(out);
    }

    @Override
    public long rejected(String dialect, RejectReason reason) {
        LongAdder a = rejected.get(new Rejection(dialect, reason));
        return a == null ? 0 : a.sum();
    }

    @Override
    public List<DeadLetter> deadLetters() {
        synchronized (deadLetters) {
            return List.copyOf(deadLetters);
        }
    }

    @Override
    public int deadLetterCapacity() {
        return deadLetterCapacity;
    }

    @Override
    public Map<String, Boolean> brokers() {
        Map<String, Boolean> out = new TreeMap<>();
        brokers.forEach((n, b) -> out.put(n, b.isConnected()));
        return out;
    }

    @Override
    public Map<String, Long> events() {
        return snapshot(events);
    }

    @Override
    public long event(String dialect, String event) {
        LongAdder a = events.get(dialect + "." + event);
        return a == null ? 0 : a.sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
