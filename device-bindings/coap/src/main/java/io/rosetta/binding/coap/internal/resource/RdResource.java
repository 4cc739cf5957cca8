package io.rosetta.binding.coap.internal.resource;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.CoapBindingConstants;
import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.binding.coap.internal.ResourceDirectory;
import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /rd}: the registration interface of the Resource Directory (RFC 9176 section 5.3).
 * {@code POST /rd?ep=<name>&lt=<seconds>&et=<model id>&base=<uri>&mapping=<JSON mapping>} with a link-format payload answers
 * 2.01 Created and the registration's location {@code /rd/<id>}; the registrations themselves are
 * {@link RegistrationResource}.
 */
public final class RdResource extends CoapResource {

    private final ResourceDirectory directory;
    private final Refusals refusals;
    private final RegistrationResource entries;

    public RdResource(ResourceDirectory directory, Refusals refusals) {
        super(CoapBindingConstants.RD);
        this.directory = directory;
        this.refusals = refusals;
        this.entries = new RegistrationResource(directory, refusals);
        getAttributes().addResourceType("core.rd");
    }

    @Override
    public Resource getChild(String name) {
        return entries;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        try {
            String payload = linkFormat(exchange);
            var r = directory.register(exchange.getQueryParameter("ep"), exchange.getQueryParameter("lt"),
                    exchange.getQueryParameter("et"), exchange.getQueryParameter("base"), payload,
                    exchange.getSourceSocketAddress(), Requests.identity(exchange), exchange.getQueryParameter("mapping"),
                    Requests.deviceId(exchange));
            exchange.setLocationPath(CoapBindingConstants.RD + "/" + r.id());
            exchange.respond(ResponseCode.CREATED);
        } catch (RejectedException e) {
            refusals.refuse(exchange, exchange.getQueryParameter("ep"), e);
        }
    }

    /** The link-format payload (content format 40, or none for an empty one). */
    static String linkFormat(CoapExchange exchange) throws RejectedException {
        int format = exchange.getRequestOptions().getContentFormat();
        byte[] payload = exchange.getRequestPayload();
        if (payload == null || payload.length == 0) {
            return "";
        }
        if (format != MediaTypeRegistry.APPLICATION_LINK_FORMAT && format != MediaTypeRegistry.UNDEFINED) {
            throw new RejectedException(RejectReason.UNSUPPORTED_CONTENT_FORMAT, "a registration takes application/link-format (40), not "
                    + MediaTypeRegistry.toString(format));
        }
        return new String(payload, StandardCharsets.UTF_8);
    }
}
