package io.rosetta.search.internal;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.model.TwinException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search route on the platform-http server: authenticates with the API's {@link Authenticator}
 * (401 otherwise), then answers through {@link SearchApi}. Every refusal is a Ditto-style error,
 * counted in {@link SearchMetrics}. A prototype-scoped {@link RoutesBuilder} for the Camel runtime's
 * whiteboard, like the things API.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public final class SearchRoutes extends RouteBuilder {

    static final String USER = "rosetta.user";

    private static final Logger LOG = LoggerFactory.getLogger(SearchRoutes.class);

    private final Authenticator authenticator;
    private final SearchMetrics metrics;
    private final SearchApi api;

    @Activate
    public SearchRoutes(@Reference ThingSearch search, @Reference Authenticator authenticator, @Reference SearchMetrics metrics) {
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.api = new SearchApi(search, metrics);
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::failed);

        from("platform-http:" + SearchApi.BASE + "?matchOnUriPrefix=true").routeId("api-search")
                .process(this::authenticate)
                .process(api::handle);
    }

    private void authenticate(Exchange exchange) {
        exchange.setProperty(USER, authenticator.authenticate(RequestHeaders.get(exchange.getMessage(), "Authorization")));
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        TwinException error;
        if (cause instanceof TwinException t) {
            error = t;
        } else {
            LOG.error("Search request {} failed", exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
            error = new TwinException(500, "thing-search:internal.error", "The search could not be answered because of an internal error.",
                    "The server's log has the details.");
        }
        HttpAnswers.error(exchange, error);
        metrics.refused(error.status(), error.errorCode());
    }
}
