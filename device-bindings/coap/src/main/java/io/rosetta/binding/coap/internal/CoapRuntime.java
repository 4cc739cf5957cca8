package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.CoapBindingStatistics;
import io.rosetta.binding.coap.DeadLetter;
import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the CoAP server and the device handlers share: the running handlers, the registered endpoints,
 * readings waiting for their handler, counters and dead letters.
 */
@Component(service = {CoapRuntime.class, CoapBindingStatistics.class})
public final class CoapRuntime implements CoapBindingStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(CoapRuntime.class);
    private static final long WARN_INTERVAL_MILLIS = 30_000;
    private static final int EXCERPT = 256;

    private final Clock clock;
    private final Map<ThingId, CoapDeviceHandler> handlers = new ConcurrentHashMap<>();
    private final Map<ThingId, ConnectivityStatus> statuses = new ConcurrentHashMap<>();
    private final Map<ThingId, Map<String, JsonObject>> pending = new HashMap<>();
    private final Map<String, ThingId> registered = new ConcurrentHashMap<>();
    private final Map<ThingId, Registration> registrations = new ConcurrentHashMap<>();
    private final AtomicLong commandsConfirmed = new AtomicLong();
    private final AtomicLong commandsFailed = new AtomicLong();
    private volatile DeviceChannel channel;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<RejectReason, AtomicLong> rejected = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Long> lastWarn = new EnumMap<>(RejectReason.class);
    private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();
    private volatile int deadLetterCapacity = 100;

    @Activate
    public CoapRuntime() {
        this(Clock.systemUTC());
    }

    public CoapRuntime(Clock clock) {
        this.clock = clock;
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, new AtomicLong());
        }
    }

    Clock clock() {
        return clock;
    }

    void deadLetterCapacity(int capacity) {
        synchronized (deadLetters) {
            deadLetterCapacity = capacity;
            while (deadLetters.size() > capacity) {
                deadLetters.removeFirst();
            }
        }
    }

    /** A handler starts: it gets the readings that arrived before it and its current status. */
    Map<String, JsonObject> register(CoapDeviceHandler handler) {
        handlers.put(handler.thingId(), handler);
        synchronized (pending) {
            Map<String, JsonObject> waiting = pending.remove(handler.thingId());
            return waiting == null ? Map.of() : waiting;
        }
    }

    void unregister(CoapDeviceHandler handler) {
        handlers.remove(handler.thingId(), handler);
    }

    /** The status a handler shows when it starts without a registration. */
    ConnectivityStatus status(ThingId id) {
        return statuses.getOrDefault(id, ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR,
                "the endpoint has not registered since the binding started"));
    }

    /** The endpoint's registration now, or {@code null}. */
    Registration registration(ThingId id) {
        return registrations.get(id);
    }

    /** The channel to the devices while the server runs, or {@code null}. */
    DeviceChannel channel() {
        return channel;
    }

    void channel(DeviceChannel c) {
        channel = c;
    }

    /** An endpoint registered ({@code fresh}: a new registration, e.g. after a restart) or updated its registration. */
    void registered(Registration r, boolean fresh) {
        registrations.put(r.thingId(), r);
        registered.put(r.endpoint(), r.thingId());
        statuses.remove(r.thingId());
        CoapDeviceHandler h = handlers.get(r.thingId());
        if (h != null) {
            h.registered(r, fresh);
        }
    }

    /** A registration ended (expired or removed). */
    void unregistered(Registration r, ConnectivityStatus status) {
        registrations.remove(r.thingId(), r);
        registered.remove(r.endpoint(), r.thingId());
        statuses.put(r.thingId(), status);
        CoapDeviceHandler h = handlers.get(r.thingId());
        if (h != null) {
            h.unregistered(status);
        }
    }

    void countCommand(boolean ok) {
        (ok ? commandsConfirmed : commandsFailed).incrementAndGet();
    }

    /**
     * Hands mapped readings to the device's handler; keeps them (merged) until the handler starts when
     * it is not running yet. Returns false when the twin registry refused them.
     */
    boolean report(ThingId id, Map<String, JsonObject> features) {
        CoapDeviceHandler h = handlers.get(id);
        if (h != null) {
            return h.report(features);
        }
        synchronized (pending) {
            Map<String, JsonObject> merged = pending.computeIfAbsent(id, k -> new HashMap<>());
            features.forEach((f, props) -> merged.merge(f, props, (a, b) -> {
                JsonObject.Builder builder = a.toBuilder();
                b.forEach(builder::set);
                return builder.build();
            }));
        }
        return true;
    }

    void countReceived() {
        received.incrementAndGet();
    }

    void countAccepted() {
        accepted.incrementAndGet();
    }

    /** Counts a refused request, keeps it as a dead letter and logs it (WARN at most once per reason in 30 s). */
    void reject(RejectedException e, String peer, String endpoint, String path, int contentFormat, byte[] payload) {
        RejectReason reason = e.reason();
        rejected.get(reason).incrementAndGet();
        byte[] body = payload == null ? new byte[0] : payload;
        String excerpt = new String(body, 0, Math.min(body.length, EXCERPT), StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetter(clock.instant(), peer, endpoint, path, reason, contentFormat, body.length, excerpt,
                e.getMessage());
        synchronized (deadLetters) {
            if (deadLetterCapacity > 0) {
                if (deadLetters.size() == deadLetterCapacity) {
                    deadLetters.removeFirst();
                }
                deadLetters.addLast(letter);
            }
        }
        long now = clock.millis();
        boolean warn;
        synchronized (lastWarn) {
            Long last = lastWarn.get(reason);
            warn = last == null || now - last >= WARN_INTERVAL_MILLIS;
            if (warn) {
                lastWarn.put(reason, now);
            }
        }
        if (warn) {
            LOG.warn("CoAP request refused ({}) from {} for /{}: {}", reason, peer, path, e.getMessage());
        } else {
            LOG.debug("CoAP request refused ({}) from {} for /{}: {}", reason, peer, path, e.getMessage());
        }
    }

    @Override
    public long received() {
        return received.get();
    }

    @Override
    public long accepted() {
        return accepted.get();
    }

    @Override
    public Map<RejectReason, Long> rejected() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        rejected.forEach((r, n) -> {
            if (n.get() > 0) {
                m.put(r, n.get());
            }
        });
        return m;
    }

    @Override
    public long rejected(RejectReason reason) {
        return rejected.get(reason).get();
    }

    @Override
    public long commandsConfirmed() {
        return commandsConfirmed.get();
    }

    @Override
    public long commandsFailed() {
        return commandsFailed.get();
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
    public List<String> registeredEndpoints() {
        List<String> l = new ArrayList<>(registered.keySet());
        l.sort(null);
        return l;
    }
}
