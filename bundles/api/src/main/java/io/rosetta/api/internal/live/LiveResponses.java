package io.rosetta.api.internal.live;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.TwinException;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ditto-style error answers of the live endpoints, before a stream or socket is open. */
final class LiveResponses {

    private static final Logger LOG = LoggerFactory.getLogger(LiveResponses.class);

    private LiveResponses() {
    }

    static TwinException asTwinException(Throwable t) {
        if (t instanceof TwinException e) {
            return e;
        }
        if (t instanceof IllegalArgumentException e) {
            return new TwinException(400, "things:request.invalid", "The request is not valid: " + e.getMessage(),
                    "Check the path, the query parameters and the headers.");
        }
        LOG.error("Live API request failed", t);
        return new TwinException(500, "things:internal.error", "The request could not be answered because of an internal error.",
                "The server's log has the details.");
    }

    static JsonObject errorJson(TwinException e) {
        JsonObject.Builder b = JsonObject.newBuilder().set("status", e.status()).set("error", e.errorCode()).set("message", e.getMessage());
        if (e.description() != null) {
            b.set("description", e.description());
        }
        return b.build();
    }

    static void error(HttpServerResponse response, TwinException e, LiveMetrics metrics) {
        metrics.refused(e.status(), e.errorCode());
        if (response.headWritten() || response.closed()) {
            return;
        }
        response.setStatusCode(e.status()).putHeader("Content-Type", "application/json");
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", Authenticator.CHALLENGE);
        }
        response.end(Json.write(errorJson(e)));
    }
}
