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

    /**
     * A pre-shared key and the endpoint (registration name) it authenticates; {@code deviceId} names the device
     * registry's device the key belongs to ({@code null} for a key of the configuration): its twin, model and
     * lifecycle come from the registry.
     */
    record Credential(String endpoint, byte[] key, String deviceId) {

        public Credential {
            Objects.requireNonNull(endpoint, "endpoint");
            key = key.clone();
        }

        /** A key of the configuration, for the endpoint of that name. */
        public Credential(String endpoint, byte[] key) {
            this(endpoint, key, null);
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Credential c && c.endpoint.equals(endpoint) && Arrays.equals(c.key, key)
                    && Objects.equals(c.deviceId, deviceId);
        }

        @Override
        public int hashCode() {
            return (endpoint.hashCode() * 31 + Arrays.hashCode(key)) * 31 + Objects.hashCode(deviceId);
        }

        @Override
        public String toString() {
            return "Credential[endpoint=" + endpoint + ", key=(" + key.length + " bytes), deviceId=" + deviceId + "]";
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
