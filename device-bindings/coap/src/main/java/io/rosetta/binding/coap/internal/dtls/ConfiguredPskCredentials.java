package io.rosetta.binding.coap.internal.dtls;

import java.util.Map;
import java.util.Optional;

/**
 * Pre-shared keys from the configuration ({@code psk.<identity>} and {@code pskFile}): the identity is the
 * endpoint name the device may act as.
 */
public final class ConfiguredPskCredentials implements PskCredentials {

    private final Map<String, byte[]> keys;

    public ConfiguredPskCredentials(Map<String, byte[]> keys) {
        this.keys = Map.copyOf(keys);
    }

    @Override
    public Optional<Credential> lookup(String identity) {
        byte[] key = keys.get(identity);
        return key == null ? Optional.empty() : Optional.of(new Credential(identity, key));
    }
}
