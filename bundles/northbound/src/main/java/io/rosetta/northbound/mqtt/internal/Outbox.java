package io.rosetta.northbound.mqtt.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the northbound publishes, between the producers (the registry's event thread, the command
 * executor) and the broker connection: two bounded queues, responses ahead of events, and a window of
 * at most {@code maxInflight} publications awaiting the broker. Producers only queue; publishing runs
 * on the executor, one drain at a time. When the connection goes down, publications not yet
 * acknowledged go back to the front of their queue and are published again on the next connection (at
 * least once); while it is down, a full queue drops its oldest entry, counted.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** One publication. */
    record Message(String topic, byte[] payload, boolean event) {
    }

    /** The connection publications go to; completes {@code done} with true when the broker has the message. */
    @FunctionalInterface
    interface Wire {
        void publish(Message message, Completion done) throws MqttException;
    }

    @FunctionalInterface
    interface Completion {
        void completed(boolean success, Throwable failure);
    }

    private final int eventCapacity;
    private final int responseCapacity;
    private final int maxInflight;
    private final Executor executor;
    private final NorthboundMetrics metrics;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // guarded by this
    private final ArrayDeque<Message> events = new ArrayDeque<>();
    private final ArrayDeque<Message> responses = new ArrayDeque<>();
    private final Map<Message, Boolean> inFlight = new IdentityHashMap<>();
    private Wire wire;
    private int generation;
    private boolean closed;

    Outbox(int eventCapacity, int responseCapacity, int maxInflight, Executor executor, NorthboundMetrics metrics) {
        this.eventCapacity = eventCapacity;
        this.responseCapacity = responseCapacity;
        this.maxInflight = maxInflight;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Queues an event; never blocks. */
    void offerEvent(String topic, byte[] payload) {
        offer(new Message(topic, payload, true));
    }

    /** Queues a response; never blocks. */
    void offerResponse(String topic, byte[] payload) {
        offer(new Message(topic, payload, false));
    }

    private void offer(Message m) {
        synchronized (this) {
            if (closed) {
                return;
            }
            ArrayDeque<Message> queue = m.event() ? events : responses;
            if (queue.size() >= (m.event() ? eventCapacity : responseCapacity)) {
                queue.pollFirst();
                (m.event() ? metrics.eventsDropped : metrics.responsesDropped).increment();
            }
            queue.addLast(m);
            if (wire == null) {
                return;
            }
        }
        scheduleDrain();
    }

    /** The connection is up: publishing starts (again). */
    void up(Wire connection) {
        synchronized (this) {
            wire = connection;
            generation++;
        }
        scheduleDrain();
    }

    /** The connection is down: what the broker has not acknowledged goes back to the front of its queue. */
    synchronized void down() {
        wire = null;
        generation++;
        List<Message> back = new ArrayList<>(inFlight.keySet());
        inFlight.clear();
        // in reverse, so that each queue keeps its order at the front
        for (int i = back.size() - 1; i >= 0; i--) {
            Message m = back.get(i);
            (m.event() ? events : responses).addFirst(m);
        }
    }

    synchronized void close() {
        closed = true;
        wire = null;
        events.clear();
        responses.clear();
        inFlight.clear();
    }

    synchronized int queuedEvents() {
        return events.size();
    }

    synchronized int inFlight() {
        return inFlight.size();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                LOG.warn("The scheduler refused to publish the MQTT northbound's queue; it is tried again with the next message");
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        synchronized (this) {
            while (wire != null && inFlight.size() < maxInflight) {
                Message m = responses.isEmpty() ? events.pollFirst() : responses.pollFirst();
                if (m == null) {
                    return;
                }
                int gen = generation;
                inFlight.put(m, Boolean.TRUE);
                try {
                    wire.publish(m, (success, failure) -> completed(gen, m, success, failure));
                } catch (MqttException e) {
                    inFlight.remove(m);
                    if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT
                            || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                            || e.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST) {
                        // the client's own window is full, or the connection just went: try again later
                        (m.event() ? events : responses).addFirst(m);
                        return;
                    }
                    metrics.publishFailures.increment();
                    LOG.debug("Publication to {} refused: {}", m.topic(), e.toString());
                } catch (IllegalArgumentException e) {
                    // a topic MQTT does not allow (a thing name with + or #)
                    inFlight.remove(m);
                    metrics.eventsUnpublishable.increment();
                    LOG.debug("Not a valid MQTT topic: {} ({})", m.topic(), e.getMessage());
                }
            }
        }
    }

    /** Called on the client's thread: bookkeeping only, publishing continues on the executor. */
    private void completed(int gen, Message m, boolean success, Throwable failure) {
        synchronized (this) {
            if (gen != generation || inFlight.remove(m) == null) {
                // the connection went meanwhile: the message is queued again already
                return;
            }
            if (success) {
                (m.event() ? metrics.eventsPublished : metrics.responsesPublished).increment();
            } else if (connectionGone(failure)) {
                // published again on the next connection
                (m.event() ? events : responses).addFirst(m);
                return;
            } else {
                metrics.publishFailures.increment();
                LOG.debug("Publication to {} failed: {}", m.topic(), failure == null ? "?" : failure.toString());
            }
        }
        scheduleDrain();
    }

    private static boolean connectionGone(Throwable failure) {
        if (!(failure instanceof MqttException e)) {
            return false;
        }
        int reason = e.getReasonCode();
        return reason == MqttException.REASON_CODE_CONNECTION_LOST || reason == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || reason == MqttException.REASON_CODE_CLIENT_DISCONNECTING || reason == MqttException.REASON_CODE_CLIENT_CLOSED;
    }
}
