package io.rosetta.binding.coap.internal.resource;

import io.rosetta.binding.coap.internal.RejectedException;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** Where the resources report a refused request: it is counted, kept as a dead letter and answered. */
@FunctionalInterface
public interface Refusals {

    void refuse(CoapExchange exchange, String endpoint, RejectedException e);
}
