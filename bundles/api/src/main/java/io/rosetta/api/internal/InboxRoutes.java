package io.rosetta.api.internal;

import io.rosetta.api.internal.auth.BasicAuthProcessor;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.json.InvalidJsonException;
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
 * The discovery inbox's routes on the platform-http server, {@code /api/2/inbox} ({@link InboxApi}):
 * authenticated like every API route, refusals as Ditto-style error bodies counted in {@link ApiMetrics}.
 * Published as a prototype-scoped {@link RoutesBuilder} for the Camel runtime's whiteboard, as the things
 * routes are.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public final class InboxRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(InboxRoutes.class);

    private final BasicAuthProcessor authenticate;
    private final ApiMetrics metrics;
    private final InboxApi api;

    @Activate
    public InboxRoutes(@Reference Inbox inbox, @Reference Authenticator authenticator, @Reference ApiMetrics metrics) {
        this.authenticate = new BasicAuthProcessor(authenticator);
        this.metrics = metrics;
        this.api = new InboxApi(inbox, metrics);
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::failed);

        from("platform-http:" + InboxApi.BASE + "?matchOnUriPrefix=true").routeId("api-inbox")
                .process(authenticate)
                .process(api::handle);
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        TwinException error;
        if (cause instanceof TwinException t) {
            error = t;
        } else if (cause instanceof InvalidJsonException | cause instanceof IllegalArgumentException) {
            error = new TwinException(400, "inbox:request.invalid", "The request is not valid: " + cause.getMessage(),
                    "Check the path and the query parameters.");
        } else {
            LOG.error("Request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
            error = new TwinException(500, "inbox:internal.error", "The request could not be answered because of an internal error.",
                    "The server's log has the details.");
        }
        String allow = exchange.getProperty(ThingsApi.ALLOW, String.class);
        HttpResponses.error(exchange, error);
        if (error.status() == 405 && allow != null) {
            exchange.getMessage().setHeader("Allow", allow);
        }
        metrics.refused(error.status(), error.errorCode());
    }
}
