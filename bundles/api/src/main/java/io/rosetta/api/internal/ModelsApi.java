package io.rosetta.api.internal;

import io.rosetta.api.internal.wot.ThingDescriptions;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.TwinException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /api/2/models} (the known W3C WoT Thing Models: id, title, description) and
 * {@code GET /api/2/models/{id}} (one model as loaded, {@code application/tm+json}); and the API's
 * OpenAPI document.
 */
final class ModelsApi {

    static final String BASE = "/api/2/models";
    private static final List<String> GET = List.of("GET");

    private final Supplier<ThingDescriptions> descriptions;
    private final ApiMetrics metrics;
    private final Supplier<byte[]> openApi;

    ModelsApi(Supplier<ThingDescriptions> descriptions, ApiMetrics metrics, Supplier<byte[]> openApi) {
        this.descriptions = descriptions;
        this.metrics = metrics;
        this.openApi = openApi;
    }

    void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        String path = ThingsApi.path(in);
        String rest = path.substring(BASE.length());
        if (!rest.isEmpty() && !rest.equals("/") && (rest.charAt(0) != '/' || rest.indexOf('/', 1) >= 0)) {
            throw ApiErrors.resourceNotFound(path);
        }
        getOnly(exchange, path);
        ThingDescriptions wot = descriptions.get();
        if (wot == null) {
            throw new TwinException(503, "wot:models.unavailable", "The model registry is not running.",
                    "Install the feature rosetta-models.");
        }
        if (rest.isEmpty() || rest.equals("/")) {
            HttpResponses.json(exchange, 200, wot.models());
        } else {
            String id = ThingsPath.decode(rest.substring(1));
            JsonObject model = wot.model(id).orElseThrow(() -> new TwinException(404, "wot:tm.notfound",
                    "The Thing Model with ID '" + id + "' is not known.", "GET /api/2/models lists the known models."));
            HttpResponses.body(exchange, 200, ThingDescriptions.TM_MEDIA_TYPE, Json.writeBytes(model));
        }
        metrics.answered(200);
    }

    void openApi(Exchange exchange) {
        getOnly(exchange, ThingsRoutes.OPENAPI);
        HttpResponses.body(exchange, 200, HttpResponses.JSON, openApi.get());
        metrics.answered(200);
    }

    private static void getOnly(Exchange exchange, String path) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!"GET".equals(method)) {
            exchange.setProperty(ThingsApi.ALLOW, "GET");
            throw ApiErrors.methodNotAllowed(method, path, GET);
        }
    }
}
