package io.rosetta.search.internal;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes answers onto the exchange, starting from no headers (platform-http would otherwise echo
 * the request's, Authorization among them).
 */
final class HttpAnswers {

    private HttpAnswers() {
    }

    static void json(Exchange exchange, int status, JsonValue body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setBody(Json.writeBytes(body));
    }

    /** A Ditto-style error: {@code {"status":..,"error":..,"message":..,"description":..}}. */
    static void error(Exchange exchange, TwinException e) {
        JsonObject.Builder body = JsonObject.newBuilder().set("status", e.status()).set("error", e.errorCode()).set("message", e.getMessage());
        if (e.description() != null) {
            body.set("description", e.description());
        }
        json(exchange, e.status(), body.build());
        if (e.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", Authenticator.CHALLENGE);
        } else if (e.status() == 405) {
            exchange.getMessage().setHeader("Allow", "GET, POST");
        }
    }
}
