package io.rosetta.api.internal;

import io.rosetta.api.internal.auth.Authenticator;
import io.rosetta.api.internal.auth.BasicAuthProcessor;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.TwinRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The things API of Ditto's HTTP API v2 on the platform-http server:
 * {@code GET /api/2/things/{thingId}} and {@code GET /api/2/things?ids=..}, both with
 * {@code fields=}. Every route authenticates first ({@link BasicAuthProcessor}); every refusal is a
 * Ditto-style error body, counted in {@link ApiMetrics}.
 *
 * <p>Published as a prototype-scoped {@link RoutesBuilder}: the Camel runtime's whiteboard adds
 * these routes while this bundle runs, and configures a fresh instance for each start of its
 * context.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public final class ThingsRoutes extends RouteBuilder {

    static final String BASE = "/api/2/things";

    private static final Logger LOG = LoggerFactory.getLogger(ThingsRoutes.class);
    private static final int MAX_IDS = 1000;

    private final TwinRegistry registry;
    private final BasicAuthProcessor authenticate;
    private final ApiMetrics metrics;

    @Activate
    public ThingsRoutes(@Reference TwinRegistry registry, @Reference Authenticator authenticator, @Reference ApiMetrics metrics) {
        this.registry = registry;
        this.authenticate = new BasicAuthProcessor(authenticator);
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::failed);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest(BASE)
                .get("/{thingId}").id("api-things-retrieve").produces(HttpResponses.JSON).to("direct:api-things-retrieve")
                .get().id("api-things-retrieve-many").produces(HttpResponses.JSON).to("direct:api-things-retrieve-many");

        from("direct:api-things-retrieve").routeId("api-things-retrieve-thing")
                .process(authenticate)
                .process(this::retrieveThing);
        from("direct:api-things-retrieve-many").routeId("api-things-retrieve-things")
                .process(authenticate)
                .process(this::retrieveThings);
    }

    private void retrieveThing(Exchange exchange) {
        ThingId id = ThingId.of(exchange.getMessage().getHeader("thingId", String.class));
        Optional<FieldSelector> fields = fields(exchange);
        String ifNoneMatch = exchange.getMessage().getHeader("If-None-Match", String.class);
        Thing thing = registry.retrieve(id).orElseThrow(() -> TwinException.notFound(id));
        String etag = "\"rev:" + thing.revision() + "\"";
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("*"))) {
            HttpResponses.notModified(exchange, etag);
            metrics.answered(304);
            return;
        }
        JsonValue body = fields.map(thing::toJson).orElseGet(thing::toJson);
        HttpResponses.json(exchange, 200, body);
        exchange.getMessage().setHeader("ETag", etag);
        metrics.answered(200);
    }

    private void retrieveThings(Exchange exchange) {
        QueryParameters query = QueryParameters.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        String ids = query.get("ids").orElseThrow(() -> new TwinException(400, "things:query.invalid",
                "The query parameter 'ids' is missing.", "Name the things to retrieve: GET /api/2/things?ids=org.example:a,org.example:b"));
        Set<ThingId> thingIds = new LinkedHashSet<>();
        for (String text : ids.split(",")) {
            if (!text.isBlank()) {
                thingIds.add(ThingId.of(text.trim()));
            }
        }
        if (thingIds.size() > MAX_IDS) {
            throw new TwinException(400, "things:query.invalid", "Too many ids: " + thingIds.size() + " (at most " + MAX_IDS + ").",
                    "Split the request into several.");
        }
        Optional<FieldSelector> fields = fields(query);
        List<JsonValue> things = new ArrayList<>(thingIds.size());
        for (ThingId id : thingIds) {
            registry.retrieve(id).ifPresent(t -> things.add(fields.map(t::toJson).orElseGet(t::toJson)));
        }
        HttpResponses.json(exchange, 200, JsonArray.of(things));
        metrics.answered(200);
    }

    private static Optional<FieldSelector> fields(Exchange exchange) {
        return fields(QueryParameters.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class)));
    }

    private static Optional<FieldSelector> fields(QueryParameters query) {
        Optional<String> fields = query.get("fields");
        if (fields.isEmpty() || fields.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FieldSelector.of(fields.get()));
        } catch (IllegalArgumentException e) {
            // an invalid JSON pointer inside the selector
            throw new TwinException(400, "json.fieldselector.invalid", "The field selector '" + fields.get() + "' is not valid: " + e.getMessage(),
                    "Write e.g. fields=thingId,attributes/location,features(temperature)");
        }
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        TwinException error;
        if (cause instanceof TwinException t) {
            error = t;
        } else if (cause instanceof IllegalArgumentException bad) {
            error = new TwinException(400, "things:request.invalid", "The request is not valid: " + bad.getMessage(),
                    "Check the path and the query parameters.");
        } else {
            LOG.error("Request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
            error = new TwinException(500, "things:internal.error", "The request could not be answered because of an internal error.",
                    "The server's log has the details.");
        }
        HttpResponses.error(exchange, error);
        metrics.answered(error.status());
    }
}
