package io.rosetta.northbound.mqtt.internal;

import io.rosetta.core.metrics.RefusalCounters;
import java.util.Map;
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
    private final RefusalCounters refusals = new RefusalCounters(MAX_KEYS);

    void refused(int status, String errorCode) {
        refusals.increment(status, errorCode);
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
        return refusals.get(status, errorCode);
    }

    /** All refusals so far, keyed {@code "<status> <error code>"}, sorted. */
    public Map<String, Long> refusals() {
        return refusals.snapshot();
    }
}
