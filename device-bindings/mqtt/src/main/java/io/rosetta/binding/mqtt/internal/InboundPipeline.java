package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.dialect.Decoded;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one broker connection, from Paho's callback to the twins. Paho's thread only
 * enqueues (bounded; a full queue sheds with a counter); the core's scheduler drains the queue one
 * task at a time, so that the messages of a connection are mapped in arrival order. Each message is
 * acknowledged to the broker after it was mapped (or refused), so that a QoS 1 message that was not
 * processed is delivered again.
 */
final class InboundPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(InboundPipeline.class);
    static final String NO_DIALECT = "none";
    static final int BATCH = 256;

    private record Message(String topic, byte[] payload, Runnable ack) {
    }

    private final String broker;
    private final List<Dialect> dialects;
    private final MqttRuntime runtime;
    private final DeviceManager devices;
    private final Executor executor;
    private final int maxPayloadBytes;
    private final int capacity;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private boolean draining;

    InboundPipeline(String broker, List<Dialect> dialects, MqttRuntime runtime, DeviceManager devices, Executor executor,
                    int maxPayloadBytes, int capacity) {
        this.broker = broker;
        this.dialects = List.copyOf(dialects);
        this.runtime = runtime;
        this.devices = devices;
        this.executor = executor;
        this.maxPayloadBytes = maxPayloadBytes;
        this.capacity = capacity;
    }

    /** Called on Paho's thread: never blocks. */
    void offer(String topic, byte[] payload, Runnable ack) {
        boolean start = false;
        boolean full;
        synchronized (queue) {
            full = queue.size() >= capacity;
            if (!full) {
                queue.addLast(new Message(topic, payload, ack));
                if (!draining) {
                    draining = true;
                    start = true;
                }
            }
        }
        if (full) {
            Dialect d = dialect(topic);
            String name = d == null ? NO_DIALECT : d.id();
            runtime.received(name);
            runtime.reject(broker, name, RejectReason.OVERLOADED, topic, payload, "the inbound queue (" + capacity + ") is full");
            ack.run();
        } else if (start) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the scheduler is saturated: shed what waits, so that nothing stays unacknowledged forever
            List<Message> shed;
            synchronized (queue) {
                shed = List.copyOf(queue);
                queue.clear();
                draining = false;
            }
            for (Message m : shed) {
                Dialect d = dialect(m.topic());
                String name = d == null ? NO_DIALECT : d.id();
                runtime.received(name);
                runtime.reject(broker, name, RejectReason.OVERLOADED, m.topic(), m.payload(), "the scheduler refused the work: " + e.getMessage());
                m.ack().run();
            }
        }
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
            try {
                process(m.topic(), m.payload());
            } catch (RuntimeException e) {
                LOG.error("MQTT message on '{}' (broker {}) could not be processed", m.topic(), broker, e);
            } finally {
                m.ack().run();
            }
        }
        schedule(); // more waiting: yield the scheduler thread to others between batches
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
                accepted |= deliver(dialect, r, topic, payload);
            } else if (d instanceof Decoded.Availability a) {
                runtime.availability(a.thingId(), a.online());
                accepted = true;
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
            if (!r.attach()) {
                runtime.pend(r.thingId(), r.features());
                return true;
            }
            JsonObject configuration = r.configuration().toBuilder()
                    .set(MqttBindingConstants.CONFIG_BROKER, JsonValue.of(broker))
                    .set(MqttBindingConstants.CONFIG_DIALECT, JsonValue.of(dialect.id()))
                    .build();
            try {
                runtime.pend(r.thingId(), r.features());
                devices.attach(new Device(r.thingId(), MqttBindingConstants.BINDING_ID, r.model(), configuration));
                LOG.info("MQTT device {} ({} on broker {}) attached as {}", r.thingId(), dialect.id(), broker, r.model());
                return true;
            } catch (RuntimeException e) {
                runtime.dropPending(r.thingId());
                runtime.reject(broker, dialect.id(), RejectReason.ATTACH_REFUSED, topic, payload, e.getMessage());
                return false;
            }
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
}
