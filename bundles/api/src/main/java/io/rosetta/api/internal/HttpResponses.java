package io.rosetta.api.internal;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;
import java.nio.ByteBuffer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes API responses onto a Camel exchange. Every response starts from no headers: platform-http
 * would otherwise echo the request's headers (Authorization among them) and query parameters.
 */
final class HttpResponses {

    static final String JSON = "application/json";

    private HttpResponses() {
    }

    static void json(Exchange exchange, int status, JsonValue body) {
        body(exchange, status, JSON, Json.writeBytes(body));
    }

    static void body(Exchange exchange, int status, String contentType, byte[] body) {
        Message m = reset(exchange, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        // a ByteBuffer is written to the Vert.x response as one buffer; a byte[] goes through Camel's
        // stream conversion, which halved GET throughput (docs/BENCHMARKS.md, HTTP API under load)
        m.setBody(ByteBuffer.wrap(body));
    }

    static void noContent(Exchange exchange, String etag) {
        Message m = reset(exchange, 204);
        if (etag != null) {
            m.setHeader("ETag", etag);
        }
        m.setBody(null);
    }

    static void notModified(Exchange exchange, String etag) {
        Message m = reset(exchange, 304);
        m.setHeader("ETag", etag);
        m.setBody(null);
    }

    /** A Ditto-style error body: {@code {"status":..,"error":..,"message":..,"description":..}}. */
    static void error(Exchange exchange, TwinException e) {
        JsonObject.Builder body = JsonObject.newBuilder().set("status", e.status()).set("error", e.errorCode())
                .set("message", e.getMessage());
        if (e.description() != null) {
            body.set("description", e.description());
        }
        json(exchange, e.status(), body.build());
        if (e.status() == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", Authenticator.CHALLENGE);
        }
    }

    private static Message reset(Exchange exchange, int status) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        return m;
    }
}
