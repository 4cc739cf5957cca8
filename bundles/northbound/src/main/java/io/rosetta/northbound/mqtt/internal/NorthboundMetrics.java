package io.rosetta.northbound.mqtt.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/**
 * Counters of the MQTT northbound, kept across reconfigurations: events published, dropped (the event
 * queue was full) and not publishable (a thing name with an MQTT wildcard), publications the broker
 * refused, commands received and answered, and refused commands by status and Ditto error code
 * ({@code "401 gateway:authentication.failed"}, ...).
 */
@Component(service = NorthboundMetrics.class)
public final class NorthboundMetrics {

    private static final int MAX_KEYS = 128;

    final LongAdder eventsPublished = new LongAdder();
    final LongAdder eventsDropped = new LongAdder();
    final LongAdder eventsUnpublishable = new LongAdder();
    final LongAdder responsesPublished = new LongAdder();
    final LongAdder responsesDropped = new LongAdder();
    final LongAdder publishFailures = new LongAdder();
    final LongAdder commandsReceived = new LongAdder();
    final LongAdder commandsAnswered = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refusals = new ConcurrentHashMap<>();

    void refused(int status, String errorCode) {
        String key = status + " " + errorCode;
        LongAdder c = refusals.get(key);
        if (c == null) {
            c = refusals.size() < MAX_KEYS ? refusals.computeIfAbsent(key, k -> new LongAdder())
                    : refusals.computeIfAbsent(status + " other", k -> new LongAdder());
        }
        c.increment();
    }

    public long eventsPublished() {
        return eventsPublished.sum();
    }

    /** Events lost because the queue was full while the broker was slow or away (the oldest go first). */
    public long eventsDropped() {
        return eventsDropped.sum();
    }

    /** Events of things whose name makes no valid MQTT topic (it contains + or #). */
    public long eventsUnpublishable() {
        return eventsUnpublishable.sum();
    }

    public long responsesPublished() {
        return responsesPublished.sum();
    }

    public long responsesDropped() {
        return responsesDropped.sum();
    }

    /** Publications the client or broker refused while connected. */
    public long publishFailures() {
        return publishFailures.sum();
    }

    public long commandsReceived() {
        return commandsReceived.sum();
    }

    public long commandsAnswered() {
        return commandsAnswered.sum();
    }

    public long refusals(int status, String errorCode) {
        LongAdder c = refusals.get(status + " " + errorCode);
        return c == null ? 0 : c.sum();
    }

    /** All refusals so far, keyed {@code "<status> <error code>"}, sorted. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
