package io.rosetta.api.internal;

import io.rosetta.api.internal.auth.BasicAuthProcessor;
import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.api.security.Authenticator;
import io.rosetta.api.internal.wot.ThingDescriptions;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.InvalidJsonPointerException;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.TwinRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ditto's HTTP API v2 for things on the platform-http server: {@code /api/2/things} and its
 * sub-resources ({@link ThingsApi}), the WoT models at {@code /api/2/models} ({@link ModelsApi})
 * and the OpenAPI document at {@code /api/2/openapi.json}. Every route authenticates first
 * ({@link BasicAuthProcessor}: Basic or Bearer); the things API then authorizes each request by the
 * namespace of its thing ({@link io.rosetta.api.internal.auth.Access}); every refusal is a Ditto-style error body, counted in
 * {@link ApiMetrics} by status and error code.
 *
 * <p>Published as a prototype-scoped {@link RoutesBuilder}: the Camel runtime's whiteboard adds
 * these routes while this bundle runs, and configures a fresh instance for each start of its
 * context. Thing Descriptions need the model registry: the {@link ThingDescriptions} service is an
 * optional, dynamic reference. The OpenAPI document is this bundle's own, merged with the fragments of the
 * {@link ApiDocumentation} services other bundles register ({@link OpenApiDocument}).
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE, configurationPid = "io.rosetta.api")
public final class ThingsRoutes extends RouteBuilder {

    static final String BASE = ThingsApi.BASE;
    static final String OPENAPI = "/api/2/openapi.json";

    private static final Logger LOG = LoggerFactory.getLogger(ThingsRoutes.class);

    private final BasicAuthProcessor authenticate;
    private final ApiMetrics metrics;
    private final AtomicReference<ThingDescriptions> descriptions = new AtomicReference<>();
    private final ThingsApi things;
    private final ModelsApi models;
    private final OpenApiDocument openApi = new OpenApiDocument(openApiDocument());

    @Activate
    public ThingsRoutes(@Reference TwinRegistry registry, @Reference Authenticator authenticator, @Reference ApiMetrics metrics,
            ApiConfig config) {
        this(registry, authenticator, metrics, ApiSettings.of(config));
    }

    ThingsRoutes(TwinRegistry registry, Authenticator authenticator, ApiMetrics metrics, ApiSettings settings) {
        this.authenticate = new BasicAuthProcessor(authenticator);
        this.metrics = metrics;
        this.things = new ThingsApi(registry, settings, descriptions::get, metrics);
        this.models = new ModelsApi(descriptions::get, metrics, openApi::bytes);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setDescriptions(ThingDescriptions wot) {
        descriptions.set(wot);
    }

    void unsetDescriptions(ThingDescriptions wot) {
        descriptions.compareAndSet(wot, null);
    }

    /** Another bundle's part of the OpenAPI document: served from the next request on. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDocumentation(ApiDocumentation documentation) {
        openApi.add(documentation);
    }

    void removeDocumentation(ApiDocumentation documentation) {
        openApi.remove(documentation);
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::failed);

        from("platform-http:" + BASE + "?matchOnUriPrefix=true").routeId("api-things")
                .process(authenticate)
                .process(things::handle);
        from("platform-http:" + ModelsApi.BASE + "?matchOnUriPrefix=true").routeId("api-models")
                .process(authenticate)
                .process(models::handle);
        from("platform-http:" + OPENAPI).routeId("api-openapi")
                .process(authenticate)
                .process(models::openApi);
    }

    private static JsonObject openApiDocument() {
        return ApiDocumentation.resource(ThingsRoutes.class, "openapi.json");
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        TwinException error;
        if (cause instanceof TwinException t) {
            error = t;
        } else if (cause instanceof InvalidJsonPointerException bad) {
            error = ApiErrors.invalidPointer(bad.getMessage());
        } else if (cause instanceof InvalidJsonException bad) {
            error = ApiErrors.invalidJson(bad.getMessage());
        } else if (cause instanceof IllegalArgumentException bad) {
            error = new TwinException(400, "things:request.invalid", "The request is not valid: " + bad.getMessage(),
                    "Check the path, the query parameters and the body.");
        } else {
            LOG.error("Request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
            error = new TwinException(500, "things:internal.error", "The request could not be answered because of an internal error.",
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
