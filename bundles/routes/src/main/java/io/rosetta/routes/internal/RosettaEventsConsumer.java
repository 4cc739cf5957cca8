package io.rosetta.routes.internal;

import io.rosetta.core.registry.TwinEvent;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the registry's twin events while its route runs and hands each selected event to the route, one at a
 * time and in order, on a thread of its own (from Camel's executor service manager), so that a slow route — an HTTP
 * endpoint that takes its time — never holds up the registry's event threads. It asks the registry for one event at a
 * time: while the route is busy, events wait in the registry's bounded buffer for this subscriber, and when that is
 * full the registry drops them and counts them ({@code TwinRegistry.stats().dropped()}).
 */
final class RosettaEventsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RosettaEventsConsumer.class);

    private final RosettaEventsEndpoint endpoint;
    private ExecutorService executor;
    private Subscriber subscriber;

    RosettaEventsConsumer(RosettaEventsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "rosetta-events");
        subscriber = new Subscriber(executor);
        endpoint.getComponent().registry().subscribe(subscriber);
    }

    @Override
    protected void doStop() throws Exception {
        if (subscriber != null) {
            subscriber.cancel();
            subscriber = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    private void deliver(TwinEvent event) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(DittoEventEnvelope.toJson(event, endpoint.extra()));
            in.setHeader(RosettaHeaders.THING_ID, event.thingId().toString());
            in.setHeader(RosettaHeaders.NAMESPACE, event.thingId().namespace());
            in.setHeader(RosettaHeaders.REVISION, event.revision());
            in.setHeader(RosettaHeaders.EVENT_TYPE, DittoEventEnvelope.typeName(event.type()));
            in.setHeader(RosettaHeaders.PATH, DittoEventEnvelope.pathText(event));
            in.setHeader(RosettaHeaders.TIMESTAMP, DittoEventEnvelope.timestamp(event));
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        RouteCounters counters = endpoint.getComponent().counters();
        if (exchange.getException() != null) {
            // the route's error handler has logged it (Camel's default: one ERROR line when delivery is exhausted)
            counters.eventsFailed.increment();
            LOG.debug("The route of {} failed on the event of {} revision {}: {}", endpoint.getEndpointUri(), event.thingId(),
                    event.revision(), exchange.getException().toString());
        } else {
            counters.eventsDelivered.increment();
        }
        releaseExchange(exchange, false);
    }

    /** One subscription to the registry, from a start of the consumer to its stop. */
    private final class Subscriber implements Flow.Subscriber<TwinEvent> {

        private final ExecutorService executor;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        Subscriber(ExecutorService executor) {
            this.executor = executor;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(TwinEvent event) {
            if (cancelled) {
                return;
            }
            if (!endpoint.accepts(event)) {
                subscription.request(1);
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        if (!cancelled && isRunAllowed()) {
                            deliver(event);
                        }
                    } finally {
                        if (!cancelled) {
                            subscription.request(1);
                        }
                    }
                });
            } catch (RejectedExecutionException stopping) {
                LOG.debug("Event of {} not delivered: {} is stopping", event.thingId(), endpoint.getEndpointUri());
            }
        }

        @Override
        public void onError(Throwable t) {
            LOG.warn("The twin event stream of {} ended with an error: {}", endpoint.getEndpointUri(), t.toString());
        }

        @Override
        public void onComplete() {
            LOG.debug("The twin event stream of {} ended", endpoint.getEndpointUri());
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
