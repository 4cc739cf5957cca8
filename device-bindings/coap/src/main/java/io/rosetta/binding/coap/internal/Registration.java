package io.rosetta.binding.coap.internal;

import io.rosetta.core.model.ThingId;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One endpoint's entry in the Resource Directory (RFC 9176): its location ({@code /rd/<id>}), endpoint
 * name, twin, model, lifetime in seconds, base URI of its resources, the links it registered, the
 * observable ones among them, the peer (address and the endpoint its DTLS credential authenticates,
 * {@code null} without DTLS) that registered it, and the JSON mapping its {@code application/json} readings
 * are read with ({@code null}: its model's default), and the device registry's device it belongs to ({@code null}: none
 * known when it registered).
 */
public record Registration(String id, String endpoint, ThingId thingId, String model, long lifetime, String base,
                    List<Link> links, InetSocketAddress peer, String identity, String jsonMapping, String deviceId) {

    /** A link of the registration's link-format payload: target path and whether it is observable. */
    public record Link(String path, boolean observable, String resourceType) {
    }

    Registration with(long newLifetime, String newBase, List<Link> newLinks, InetSocketAddress newPeer) {
        return new Registration(id, endpoint, thingId, model, newLifetime, newBase, newLinks, newPeer, identity, jsonMapping, deviceId);
    }
}
