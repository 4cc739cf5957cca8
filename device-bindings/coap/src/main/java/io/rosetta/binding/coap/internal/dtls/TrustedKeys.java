package io.rosetta.binding.coap.internal.dtls;

import java.security.PublicKey;
import java.util.Optional;

/**
 * The raw public keys (RFC 7250) devices may authenticate with, asked at every handshake: a key gives the
 * endpoint name the device may act as; an unknown (or removed) key gives nothing and its handshake fails.
 */
@FunctionalInterface
public interface TrustedKeys {

    Optional<String> endpoint(PublicKey key);
}
