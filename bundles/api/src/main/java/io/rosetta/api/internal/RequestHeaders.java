package io.rosetta.api.internal;

import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Reads request headers from the HTTP request itself. platform-http copies request headers and
 * query parameters into the same Camel headers, so {@code ?Authorization=..} or
 * {@code ?If-Match=..} would otherwise pass for headers.
 */
public final class RequestHeaders {

    private RequestHeaders() {
    }

    /** All values of the header joined with ", " (RFC 9110 list syntax); {@code null} when absent. */
    public static String get(Message message, String name) {
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
