package io.rosetta.binding.coap.internal.resource;

import io.rosetta.binding.coap.internal.CoapBindingConstants;
import io.rosetta.binding.coap.internal.ReadingIngest;
import io.rosetta.binding.coap.internal.RejectedException;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /dev/<endpoint>}: a registered endpoint POSTs or PUTs its readings here as SenML
 * ({@code application/senml+json} or {@code application/senml+cbor}); 2.04 when they reached the twin,
 * 4.00 with a diagnostic, 4.03, 4.04 or 4.15 when refused.
 */
public final class DeviceDataResource extends CoapResource {

    private final ReadingIngest ingest;
    private final Refusals refusals;

    public DeviceDataResource(ReadingIngest ingest, Refusals refusals) {
        super(CoapBindingConstants.DEVICE_DATA);
        this.ingest = ingest;
        this.refusals = refusals;
    }

    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        handle(exchange);
    }

    @Override
    public void handlePUT(CoapExchange exchange) {
        handle(exchange);
    }

    private void handle(CoapExchange exchange) {
        String endpoint = Requests.segment(exchange, 1);
        try {
            ingest.accept(endpoint, Requests.identity(exchange), exchange.getRequestOptions().getContentFormat(),
                    exchange.getRequestPayload());
            exchange.respond(ResponseCode.CHANGED);
        } catch (RejectedException e) {
            refusals.refuse(exchange, endpoint, e);
        }
    }
}
