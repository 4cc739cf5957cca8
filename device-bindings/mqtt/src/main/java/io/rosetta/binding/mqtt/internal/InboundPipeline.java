package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.dialect.Decoded;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.inbox.Discovery;
import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one broker connection, from the MQTT client's callback to the twins, mapped in arrival order. Each
 * message is acknowledged to the broker after it was mapped (or refused), so that a QoS 1 message that was not
 * processed is delivered again.
 *
 * <p>Two ways, chosen per message by how busy the processing is ({@link LoadMeter}): while it keeps its thread
 * busy for less than {@value #INLINE_BELOW} of the time, the client's thread (the Vert.x event loop or Paho's
 * callback thread) maps the message itself, the moment it arrives, and no other thread is woken for it. Beyond that, and whenever messages wait, the client's
 * thread only enqueues (bounded; a full queue sheds QoS 0 messages with a counter) and the core's scheduler
 * drains the queue in batches, one task at a time: the client keeps reading while the messages are mapped on another
 * core, and an overload is shed and counted here instead of backing up into the broker.
 *
 * <p>Where the device registry runs, a message for the twin of a registered device marks its first contact, and the
 * data of a SUSPENDED or DECOMMISSIONED device is refused ({@code NOT_ADMITTED}) before it reaches the twin.
 *
 * <p>A device that is not attached yet goes through the discovery {@link Inbox}: it is attached when its
 * twin exists or its dialect is auto-approved, otherwise it waits there (its latest report is kept for
 * the moment it is approved) or, when it was rejected, its messages are dropped.
 */
final class InboundPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(InboundPipeline.class);
    static final String NO_DIALECT = "none";
    static final int BATCH = 256;
    /** The share of the time spent processing below which the client's thread maps messages itself. */
    static final double INLINE_BELOW = 0.5;
    /** Event: a message of a device that waits in the inbox. */
    static final String INBOX_HELD = "inboxHeld";
    /** Event: a message of a rejected device. */
    static final String INBOX_SUPPRESSED = "inboxSuppressed";

    private record Message(String topic, byte[] payload, Runnable ack) {
    }

    private final String broker;
    private final List<Dialect> dialects;
    private final MqttRuntime runtime;
    private final DeviceManager devices;
    private final Inbox inbox;
    private final Predicate<String> autoApprove;
    private final Executor executor;
    private final int maxPayloadBytes;
    private final int capacity;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final LoadMeter meter;
    /** Whether a thread processes this connection's messages now (inline or draining); guarded by the queue. */
    private boolean draining;

    InboundPipeline(String broker, List<Dialect> dialects, MqttRuntime runtime, DeviceManager devices, Inbox inbox,
                    Predicate<String> autoApprove, Executor executor, int maxPayloadBytes, int capacity) {
        this(broker, dialects, runtime, devices, inbox, autoApprove, executor, maxPayloadBytes, capacity,
                new LoadMeter(INLINE_BELOW, System::nanoTime));
    }

    /** With the meter that decides between mapping on the caller's thread and handing over (tests: a meter that is always busy hands over). */
    InboundPipeline(String broker, List<Dialect> dialects, MqttRuntime runtime, DeviceManager devices, Inbox inbox,
                    Predicate<String> autoApprove, Executor executor, int maxPayloadBytes, int capacity, LoadMeter meter) {
        this.broker = broker;
        this.dialects = List.copyOf(dialects);
        this.runtime = runtime;
        this.devices = devices;
        this.inbox = inbox;
        this.autoApprove = autoApprove;
        this.executor = executor;
        this.maxPayloadBytes = maxPayloadBytes;
        this.capacity = capacity;
        this.meter = meter;
    }

    /** A message at QoS 0. */
    void offer(String topic, byte[] payload, Runnable ack) {
        offer(topic, payload, 0, ack);
    }

    /**
     * Called on the client's thread. While the processing is not busy and nothing waits, maps the message right here;
     * otherwise only enqueues, never blocking. A full queue sheds QoS 0 messages (counted as
     * {@code OVERLOADED}); QoS 1 and 2 messages are always queued, because they are acknowledged only
     * once applied: the broker's in-flight window for this connection ({@code maxInflight}) bounds how
     * many of them can wait, and the broker keeps the rest until acknowledgements free the window, so
     * a burst of announcements or telemetry at QoS 1 is delayed, never lost.
     */
    void offer(String topic, byte[] payload, int qos, Runnable ack) {
        boolean start = false;
        boolean full = false;
        boolean inline = false;
        synchronized (queue) {
            if (!draining && queue.isEmpty() && !meter.busy()) {
                draining = true;
                inline = true;
            } else {
                full = qos == 0 && queue.size() >= capacity;
                if (!full) {
                    queue.addLast(new Message(topic, payload, ack));
                    if (!draining) {
                        draining = true;
                        start = true;
                    }
                }
            }
        }
        if (inline) {
            processAndAck(topic, payload, ack);
            boolean more;
            synchronized (queue) {
                more = !queue.isEmpty();
                draining = more;
            }
            if (more) {
                schedule(); // another thread offered meanwhile: its messages are drained in order after this one
            }
        } else if (full) {
            shed(topic, payload, ack, "the inbound queue (" + capacity + ") is full");
        } else if (start) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the scheduler is saturated: shed what waits, so that nothing stays unacknowledged forever
            List<Message> waiting;
            synchronized (queue) {
                waiting = List.copyOf(queue);
                queue.clear();
                draining = false;
            }
            for (Message m : waiting) {
                shed(m.topic(), m.payload(), m.ack(), "the scheduler refused the work: " + e.getMessage());
            }
        }
    }

    /** A message not mapped for overload: counted as received and refused ({@code OVERLOADED}), and acknowledged. */
    private void shed(String topic, byte[] payload, Runnable ack, String why) {
        Dialect d = dialect(topic);
        String name = d == null ? NO_DIALECT : d.id();
        runtime.received(name);
        runtime.reject(broker, name, RejectReason.OVERLOADED, topic, payload, why);
        ack.run();
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Message m;
            synchronized (queue) {
                m = queue.pollFirst();
                if (m == null) {
                    draining = false;
                    return;
                }
            }
            processAndAck(m.topic(), m.payload(), m.ack());
        }
        schedule(); // more waiting: yield the scheduler thread to others between batches
    }

    private void processAndAck(String topic, byte[] payload, Runnable ack) {
        long start = meter.now();
        try {
            process(topic, payload);
        } catch (RuntimeException e) {
            LOG.error("MQTT message on '{}' (broker {}) could not be processed", topic, broker, e);
        } finally {
            ack.run();
            meter.record(start, meter.now());
        }
    }

    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private Dialect dialect(String topic) {
        for (Dialect d : dialects) {
            if (d.claims(topic)) {
                return d;
            }
        }
        return null;
    }

    /** Maps one message onto twins; refusals are counted, never thrown. */
    void process(String topic, byte[] payload) {
        Dialect dialect = dialect(topic);
        String name = dialect == null ? NO_DIALECT : dialect.id();
        runtime.received(name);
        if (payload.length > maxPayloadBytes) {
            runtime.reject(broker, name, RejectReason.OVERSIZED, topic, payload,
                    payload.length + " bytes exceed the maximum of " + maxPayloadBytes);
            return;
        }
        if (dialect == null) {
            runtime.reject(broker, name, RejectReason.UNKNOWN_TOPIC, topic, payload, "no dialect of this connection reads " + topic);
            return;
        }
        List<Decoded> decoded;
        try {
            decoded = dialect.decode(topic, payload, id -> devices.device(id)
                    .filter(d -> MqttBindingConstants.BINDING_ID.equals(d.bindingId()))
                    .map(Device::model));
        } catch (RejectedException e) {
            runtime.reject(broker, name, e.reason(), topic, payload, e.getMessage());
            return;
        }
        boolean accepted = false;
        for (Decoded d : decoded) {
            if (d instanceof Decoded.Report r) {
                accepted |= runtime.admit(broker, dialect.id(), r.thingId(), topic, payload) && deliver(dialect, r, topic, payload);
            } else if (d instanceof Decoded.Availability a) {
                if (runtime.admit(broker, dialect.id(), a.thingId(), topic, payload)) {
                    runtime.availability(a.thingId(), a.online());
                    accepted = true;
                }
            } else if (d instanceof Decoded.Announcement a) {
                accepted |= runtime.admit(broker, dialect.id(), a.thingId(), topic, payload) && announce(dialect, a, topic, payload);
            }
        }
        if (accepted) {
            runtime.accepted(name);
        }
    }

    private boolean deliver(Dialect dialect, Decoded.Report r, String topic, byte[] payload) {
        Optional<Device> existing = devices.device(r.thingId());
        if (existing.isPresent() && !MqttBindingConstants.BINDING_ID.equals(existing.get().bindingId())) {
            runtime.reject(broker, dialect.id(), RejectReason.ATTACH_REFUSED, topic, payload,
                    r.thingId() + " belongs to the binding " + existing.get().bindingId());
            return false;
        }
        if (existing.isEmpty()) {
            runtime.pend(r.thingId(), r.features());
            if (!r.attach()) {
                return true;
            }
            return discovered(dialect, r.thingId(), r.model(), r.configuration(), r.attributes(), autoApprove.test(dialect.id()),
                    topic, payload);
        }
        if (r.features().isEmpty()) {
            return true;
        }
        if (!runtime.deliver(r.thingId(), r.features())) {
            runtime.reject(broker, dialect.id(), RejectReason.REFUSED, topic, payload, "the twin registry refused the report of " + r.thingId());
            return false;
        }
        return true;
    }

    /**
     * A discovery message of a device without its state: an unattached device of a dialect that is not
     * auto-approved lands in the inbox; an auto-approved one becomes a twin with its first report.
     */
    private boolean announce(Dialect dialect, Decoded.Announcement a, String topic, byte[] payload) {
        if (devices.device(a.thingId()).isPresent() || autoApprove.test(dialect.id())) {
            return true;
        }
        return discovered(dialect, a.thingId(), a.model(), a.configuration(), a.attributes(), false, topic, payload);
    }

    /** Asks the inbox about a device that is not attached; its reports wait in the runtime meanwhile. */
    private boolean discovered(Dialect dialect, ThingId id, String model, JsonObject config, JsonObject attributes, boolean auto,
                               String topic, byte[] payload) {
        JsonObject configuration = config.toBuilder()
                .set(MqttBindingConstants.CONFIG_BROKER, JsonValue.of(broker))
                .set(MqttBindingConstants.CONFIG_DIALECT, JsonValue.of(dialect.id()))
                .build();
        Inbox.Decision decision;
        try {
            decision = inbox.discovered(new Discovery(new Device(id, MqttBindingConstants.BINDING_ID, model, configuration), dialect.id(),
                    broker, attributes, auto));
        } catch (RuntimeException e) {
            runtime.dropPending(id);
            runtime.reject(broker, dialect.id(), RejectReason.ATTACH_REFUSED, topic, payload, e.getMessage());
            return false;
        }
        switch (decision) {
            case ATTACHED -> {
                LOG.info("MQTT device {} ({} on broker {}) attached as {}", id, dialect.id(), broker, model);
                return true;
            }
            case HELD -> {
                runtime.countEvent(dialect.id(), INBOX_HELD);
                return false;
            }
            case SUPPRESSED -> {
                runtime.dropPending(id);
                runtime.countEvent(dialect.id(), INBOX_SUPPRESSED);
                return false;
            }
            default -> {
                runtime.dropPending(id);
                runtime.reject(broker, dialect.id(), RejectReason.OVERLOADED, topic, payload, "the discovery inbox is full; " + id + " is not recorded");
                return false;
            }
        }
    }
}
