package io.rosetta.api.internal;

import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.Locale;
import org.apache.camel.Exchange;

/**
 * Reads a request body as JSON after checking its media type and size, so that a refused request
 * never reaches the registry: 415 for a wrong {@code Content-Type}, 413 above the configured
 * maximum, 400 {@code json.invalid} for text that is not JSON.
 */
final class RequestBodies {

    static final String JSON = "application/json";

    private RequestBodies() {
    }

    /** The JSON body of a PUT or POST ({@code application/json}; a missing Content-Type is taken as JSON). */
    static JsonValue json(Exchange exchange, long maxBytes, boolean emptyIsObject) {
        String type = mediaType(exchange);
        if (type != null && !type.equals(JSON)) {
            throw ApiErrors.unsupportedMediaType(contentType(exchange), JSON);
        }
        return parse(exchange, maxBytes, emptyIsObject);
    }

    /** The JSON merge patch of a PATCH, which must say {@code application/merge-patch+json} (RFC 7396), as Ditto requires. */
    static JsonValue mergePatch(Exchange exchange, long maxBytes) {
        String type = mediaType(exchange);
        if (type == null || !type.equals(ApiErrors.MERGE_PATCH)) {
            throw ApiErrors.unsupportedMediaType(contentType(exchange), ApiErrors.MERGE_PATCH);
        }
        return parse(exchange, maxBytes, false);
    }

    private static JsonValue parse(Exchange exchange, long maxBytes, boolean emptyIsObject) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        int length = body == null ? 0 : body.length;
        if (length > maxBytes) {
            throw ApiErrors.tooLarge(length, maxBytes);
        }
        if (length == 0 || isBlank(body)) {
            if (emptyIsObject) {
                return JsonObject.empty();
            }
            throw ApiErrors.invalidJson("the request has no body; send a JSON value.");
        }
        try {
            return Json.parse(body);
        } catch (InvalidJsonException e) {
            throw ApiErrors.invalidJson(e.getMessage().startsWith("Invalid JSON: ") ? e.getMessage().substring(14) : e.getMessage());
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String contentType(Exchange exchange) {
        return RequestHeaders.get(exchange.getMessage(), "Content-Type");
    }

    /** The media type without parameters, lower case; {@code null} when there is no Content-Type. */
    private static String mediaType(Exchange exchange) {
        String value = contentType(exchange);
        if (value == null || value.isBlank()) {
            return null;
        }
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
