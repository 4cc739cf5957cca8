package io.rosetta.routes.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Applies a message's merge patch to a twin; see {@link RosettaPatchEndpoint}. */
final class RosettaPatchProducer extends DefaultProducer {

    private final RosettaPatchEndpoint endpoint;

    RosettaPatchProducer(RosettaPatchEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RouteCounters counters = endpoint.getComponent().counters();
        try {
            Message in = exchange.getIn();
            ThingId id = thingIdOf(in);
            String pathHeader = in.getHeader(RosettaHeaders.PATH, String.class);
            JsonPointer path = pathHeader != null && !pathHeader.isBlank() ? JsonPointer.of(pathHeader.strip()) : endpoint.fixedPath();
            String body = in.getBody(String.class);
            if (body == null || body.isBlank()) {
                throw new IllegalArgumentException("rosetta:patch got no body: the body must be a JSON merge patch such as {\"value\":21}");
            }
            JsonValue patch = Json.parse(body);
            Thing thing = endpoint.getComponent().registry().merge(id, path, patch, Precondition.none());
            Message out = exchange.getMessage();
            out.setBody(Json.write(thing.toJson()));
            out.setHeader(RosettaHeaders.THING_ID, id.toString());
            out.setHeader(RosettaHeaders.REVISION, thing.revision());
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
            counters.patchesApplied.increment();
        } catch (RuntimeException e) {
            counters.patchesRefused.increment();
            throw e;
        }
    }

    private ThingId thingIdOf(Message in) {
        String header = in.getHeader(RosettaHeaders.THING_ID, String.class);
        if (header != null && !header.isBlank()) {
            return ThingId.of(header.strip());
        }
        ThingId fixed = endpoint.fixedThingId();
        if (fixed == null) {
            throw new IllegalArgumentException("rosetta:patch does not know which twin to change: set thingId= on the endpoint or the header "
                    + RosettaHeaders.THING_ID);
        }
        return fixed;
    }
}
