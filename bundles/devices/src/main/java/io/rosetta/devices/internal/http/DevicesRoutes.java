package io.rosetta.devices.internal.http;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.DeviceRegistry;
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
 * The device admin paths under {@value DevicesApi#BASE} on the platform-http server: authenticated with the API's
 * {@link Authenticator} (401 otherwise), each device authorized by ADMIN on its twin's namespace, answered by
 * {@link DevicesApi}. Every refusal is a Ditto-style error, counted in {@link DevicesMetrics}. A prototype-scoped
 * {@link RoutesBuilder} for the Camel runtime's whiteboard, like the things API and the search.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public final class DevicesRoutes extends RouteBuilder {

    static final String USER = "rosetta.user";

    private static final Logger LOG = LoggerFactory.getLogger(DevicesRoutes.class);

    private final Authenticator authenticator;
    private final DevicesMetrics metrics;
    private final DevicesApi api;

    @Activate
    public DevicesRoutes(@Reference DeviceRegistry registry, @Reference Authenticator authenticator, @Reference DevicesMetrics metrics) {
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.api = new DevicesApi(registry, metrics);
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::failed);

        from("platform-http:" + DevicesApi.BASE + "?matchOnUriPrefix=true").routeId("api-devices")
                .process(this::authenticate)
                .process(api::handle);
    }

    private void authenticate(Exchange exchange) {
        exchange.setProperty(USER, authenticator.authenticate(HttpAnswers.header(exchange.getMessage(), "Authorization")));
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        TwinException error;
        if (cause instanceof TwinException t) {
            error = t;
        } else if (cause instanceof InvalidJsonException bad) {
            error = new TwinException(400, "json.invalid", "The body is not valid JSON: " + bad.getMessage(), "Send a JSON object.");
        } else {
            LOG.error("Device request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
            error = new TwinException(500, "devices:internal.error", "The request could not be answered because of an internal error.",
                    "The server's log has the details.");
        }
        HttpAnswers.error(exchange, error);
        metrics.refused(error.status(), error.errorCode());
    }
}
