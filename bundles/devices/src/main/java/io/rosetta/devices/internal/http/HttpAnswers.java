package io.rosetta.devices.internal.http;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Writes answers onto the exchange, starting from no headers (platform-http would otherwise echo the request's,
 * Authorization among them), and reads request headers from the HTTP request itself.
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
        String allow = exchange.getProperty(DevicesApi.ALLOW, String.class);
        json(exchange, e.status(), body.build());
        if (e.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", Authenticator.CHALLENGE);
        } else if (e.status() == 405 && allow != null) {
            exchange.getMessage().setHeader("Allow", allow);
        }
    }

    /** A request header; from the HTTP request when there is one (Camel's headers mix in query parameters). */
    static String header(Message in, String name) {
        if (in instanceof HttpMessage http && http.getRequest() != null) {
            return http.getRequest().getHeader(name);
        }
        return in.getHeader(name, String.class);
    }
}
