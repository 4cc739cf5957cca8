package io.rosetta.binding.coap.internal;

import io.rosetta.core.json.JsonObject;
import java.util.Map;
import org.eclipse.californium.core.network.Endpoint;

/** How a device handler reaches its endpoint: through the server's endpoint its registration came in on. */
interface DeviceChannel {

    /** The server endpoint (UDP, or DTLS for a registration made with a PSK identity) to send requests to the device with. */
    Endpoint endpoint(Registration registration);

    /** Maps and reports what an observed resource sent. */
    Map<String, JsonObject> notification(Registration registration, String defaultName, int contentFormat, byte[] payload)
            throws RejectedException;

    /** Counts and keeps a refused notification. */
    void refused(Registration registration, String path, int contentFormat, byte[] payload, RejectedException e);
}
