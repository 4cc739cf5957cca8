package io.rosetta.search.internal;

import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Request headers read from the HTTP request itself: platform-http copies headers and query
 * parameters into the same Camel headers, so {@code ?Authorization=..} would otherwise pass for one.
 */
final class RequestHeaders {

    private RequestHeaders() {
    }

    static String get(Message message, String name) {
        if (message instanceof HttpMessage http && http.getRequest() != null) {
            List<String> values = http.getRequest().headers().getAll(name);
            if (values.isEmpty()) {
                return null;
            }
            return values.size() == 1 ? values.get(0) : String.join(", ", values);
        }
        return message.getHeader(name, String.class);
    }
}
