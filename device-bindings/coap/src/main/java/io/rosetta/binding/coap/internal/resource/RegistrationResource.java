package io.rosetta.binding.coap.internal.resource;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.binding.coap.internal.ResourceDirectory;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /rd/<id>}: one registration. {@code POST} (optionally {@code ?lt=..&base=..} and a new
 * link-format payload) refreshes it, 2.04; {@code DELETE} removes it, 2.02; an unknown id is 4.04.
 */
final class RegistrationResource extends CoapResource {

    private final ResourceDirectory directory;
    private final Refusals refusals;

    RegistrationResource(ResourceDirectory directory, Refusals refusals) {
        super("registration");
        this.directory = directory;
        this.refusals = refusals;
        setVisible(false);
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        try {
            directory.update(id(exchange), exchange.getQueryParameter("lt"), exchange.getQueryParameter("base"),
                    RdResource.linkFormat(exchange), exchange.getSourceSocketAddress(), Requests.identity(exchange));
            exchange.respond(ResponseCode.CHANGED);
        } catch (RejectedException e) {
            refusals.refuse(exchange, null, e);
        }
    }

    @Override
    public void handleDELETE(CoapExchange exchange) {
        try {
            directory.remove(id(exchange), Requests.identity(exchange));
            exchange.respond(ResponseCode.DELETED);
        } catch (RejectedException e) {
            refusals.refuse(exchange, null, e);
        }
    }

    private static String id(CoapExchange exchange) throws RejectedException {
        String id = Requests.segment(exchange, 1);
        if (id == null) {
            throw new RejectedException(RejectReason.UNKNOWN_ENDPOINT, "no registration /" + Requests.path(exchange));
        }
        return id;
    }
}
