package io.rosetta.binding.coap.internal.dtls;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the DTLS endpoint looks up pre-shared keys, at every handshake: a PSK identity gives the key and
 * the endpoint name the device may act as. An identity that is unknown, suspended or revoked gives nothing,
 * and its handshake fails. The configuration ({@link ConfiguredPskCredentials}) is one source; a device
 * registry is another.
 */
@FunctionalInterface
public interface PskCredentials {

    /** The credential of a PSK identity, empty when the identity may not connect. Called on the DTLS handshake threads. */
    Optional<Credential> lookup(String identity);

    /** A pre-shared key and the endpoint (registration name) it authenticates. */
    record Credential(String endpoint, byte[] key) {

        public Credential {
            Objects.requireNonNull(endpoint, "endpoint");
            key = key.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Credential c && c.endpoint.equals(endpoint) && Arrays.equals(c.key, key);
        }

        @Override
        public int hashCode() {
            return endpoint.hashCode() * 31 + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "Credential[endpoint=" + endpoint + ", key=(" + key.length + " bytes)]";
        }
    }

    /** The first source that knows an identity answers; later ones are asked only when it does not. */
    static PskCredentials firstOf(PskCredentials... sources) {
        return identity -> {
            for (PskCredentials s : sources) {
                Optional<Credential> c = s.lookup(identity);
                if (c.isPresent()) {
                    return c;
                }
            }
            return Optional.empty();
        };
    }
}
