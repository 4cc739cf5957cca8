package io.rosetta.binding.coap.internal.resource;

import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.binding.coap.internal.dtls.EndpointInfo;
import java.security.Principal;
import java.util.List;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** What the resources read from a request and how they answer a refusal. */
public final class Requests {

    private Requests() {
    }

    /**
     * The endpoint the peer's DTLS credential (pre-shared key or raw public key) authenticates, {@code null}
     * for plain CoAP.
     */
    public static String identity(CoapExchange exchange) {
        Principal p = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
        return EndpointInfo.endpoint(p);
    }

    /** The device registry's device the peer's DTLS credential belongs to, {@code null} for other credentials and plain CoAP. */
    public static String deviceId(CoapExchange exchange) {
        return EndpointInfo.deviceId(exchange.advanced().getRequest().getSourceContext().getPeerIdentity());
    }

    /** The peer as a log and dead-letter text: address, and identity when there is one. */
    public static String peer(CoapExchange exchange) {
        String id = identity(exchange);
        String address = exchange.getSourceSocketAddress().toString();
        return id == null ? address : id + "@" + address;
    }

    /** The URI path segment at {@code index} ({@code null} when the path is shorter), and none after {@code index}. */
    public static String segment(CoapExchange exchange, int index) {
        List<String> path = exchange.getRequestOptions().getUriPath();
        return path.size() == index + 1 ? path.get(index) : null;
    }

    public static String path(CoapExchange exchange) {
        return exchange.getRequestOptions().getUriPathString();
    }

    /** Answers a refusal: 4.00 with a diagnostic payload, 4.03, 4.04 or 4.15 by reason. */
    public static void refuse(CoapExchange exchange, RejectedException e) {
        ResponseCode code = switch (e.reason()) {
            case UNSUPPORTED_CONTENT_FORMAT -> ResponseCode.UNSUPPORTED_CONTENT_FORMAT;
            case UNKNOWN_ENDPOINT -> ResponseCode.NOT_FOUND;
            case FORBIDDEN, ATTACH_REFUSED, NOT_ADMITTED -> ResponseCode.FORBIDDEN;
            default -> ResponseCode.BAD_REQUEST;
        };
        exchange.respond(code, e.getMessage(), MediaTypeRegistry.TEXT_PLAIN);
    }
}
