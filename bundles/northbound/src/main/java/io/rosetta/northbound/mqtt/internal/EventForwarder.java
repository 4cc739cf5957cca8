package io.rosetta.northbound.mqtt.internal;

import io.rosetta.api.ditto.DittoEnvelope;
import io.rosetta.api.ditto.DittoEvents;
import io.rosetta.core.registry.TwinEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The northbound's subscription to the registry's events: each twin event of a published namespace,
 * as the same Ditto-protocol event envelope the WebSocket sends ({@link DittoEvents}), is queued in the
 * {@link Outbox} for {@code <prefix>/<namespace>/<name>/things/twin/events/<action>}. Connectivity and
 * lifecycle changes have no Ditto event and are not published. Runs on the registry's event thread
 * and never blocks it: the outbox only queues.
 */
final class EventForwarder implements Flow.Subscriber<TwinEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(EventForwarder.class);

    private final NorthboundSettings settings;
    private final Outbox outbox;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;

    EventForwarder(NorthboundSettings settings, Outbox outbox) {
        this.settings = settings;
        this.outbox = outbox;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (closed) {
            s.cancel();
            return;
        }
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(TwinEvent event) {
        if (closed || !settings.publishes(event.thingId().namespace())) {
            return;
        }
        DittoEnvelope envelope = DittoEvents.toEnvelope(event, null);
        if (envelope != null) {
            outbox.offerEvent(settings.topics().event(envelope.topic()), envelope.toText().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void onError(Throwable t) {
        LOG.error("The registry's event stream failed; the MQTT northbound publishes no more events", t);
    }

    @Override
    public void onComplete() {
        LOG.debug("The registry's event stream ended");
    }

    void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
