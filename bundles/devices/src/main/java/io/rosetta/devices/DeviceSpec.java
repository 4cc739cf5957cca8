package io.rosetta.devices;

import io.rosetta.core.json.JsonObject;
import java.util.Base64;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;

/**
 * What to provision, as given (a row of an import file, an API request, shell options): the registry checks it and
 * answers with a {@link DeviceException} or a row error naming what is wrong. Only {@code deviceId} and
 * {@code modelId} are required.
 *
 * @param deviceId         the device's id, {@code [A-Za-z0-9][A-Za-z0-9._-]*}, at most 128 characters
 * @param thingId          its twin, {@code namespace:name}; {@code null}: the registry's default namespace and the device id
 * @param binding          the binding that serves it, {@code null} when unassigned
 * @param modelId          a WoT Thing Model the model registry knows
 * @param mqttUsername     MQTT username; with {@code mqttPassword} or {@code mqttPasswordHash}
 * @param mqttPassword     MQTT password in the clear; hashed with Argon2id and forgotten
 * @param mqttPasswordHash an Argon2id hash in PHC format made elsewhere, instead of {@code mqttPassword}
 * @param pskIdentity      DTLS PSK identity; with {@code pskKey}
 * @param pskKey           the pre-shared key: {@code hex:0a1b..}, {@code base64:..} or its UTF-8 text (see {@link #parseKey})
 * @param x509Sha256       SHA-256 fingerprint of the device's certificate (hex, colons allowed)
 * @param configuration    the desired configuration to start with, {@code null} for none
 */
public record DeviceSpec(String deviceId, String thingId, String binding, String modelId, String mqttUsername, String mqttPassword,
                         String mqttPasswordHash, String pskIdentity, String pskKey, String x509Sha256, JsonObject configuration) {

    public static Builder newBuilder(String deviceId) {
        return new Builder(deviceId);
    }

    public Builder toBuilder() {
        Builder b = new Builder(deviceId);
        b.thingId = thingId;
        b.binding = binding;
        b.modelId = modelId;
        b.mqttUsername = mqttUsername;
        b.mqttPassword = mqttPassword;
        b.mqttPasswordHash = mqttPasswordHash;
        b.pskIdentity = pskIdentity;
        b.pskKey = pskKey;
        b.x509Sha256 = x509Sha256;
        b.configuration = configuration;
        return b;
    }

    /**
     * A key as the CoAP binding's configuration writes one: {@code hex:00112233..}, {@code base64:..}, or else its text
     * as UTF-8 (what libcoap's {@code -k} takes).
     *
     * @throws IllegalArgumentException for malformed hex or base64
     */
    public static byte[] parseKey(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a key is required");
        }
        try {
            if (text.startsWith("hex:")) {
                return HexFormat.of().parseHex(text.substring(4).replace(":", ""));
            }
            if (text.startsWith("base64:")) {
                return Base64.getDecoder().decode(text.substring(7));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key '" + text.substring(0, text.indexOf(':')) + ":...' is malformed: " + e.getMessage());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Without the password and the key. */
    @Override
    public String toString() {
        return "DeviceSpec[deviceId=" + deviceId + ", thingId=" + thingId + ", binding=" + binding + ", modelId=" + modelId
                + ", mqttUsername=" + mqttUsername + ", mqttPassword=" + (mqttPassword != null ? "***" : null)
                + ", mqttPasswordHash=" + (mqttPasswordHash != null ? "***" : null) + ", pskIdentity=" + pskIdentity
                + ", pskKey=" + (pskKey != null ? "***" : null) + ", x509Sha256=" + x509Sha256 + ", configuration=" + configuration + "]";
    }

    public static final class Builder {
        private final String deviceId;
        private String thingId;
        private String binding;
        private String modelId;
        private String mqttUsername;
        private String mqttPassword;
        private String mqttPasswordHash;
        private String pskIdentity;
        private String pskKey;
        private String x509Sha256;
        private JsonObject configuration;

        private Builder(String deviceId) {
            this.deviceId = deviceId;
        }

        public Builder thingId(String thingId) {
            this.thingId = thingId;
            return this;
        }

        public Builder binding(String binding) {
            this.binding = binding;
            return this;
        }

        public Builder model(String modelId) {
            this.modelId = modelId;
            return this;
        }

        public Builder mqtt(String username, String password) {
            this.mqttUsername = username;
            this.mqttPassword = password;
            return this;
        }

        public Builder mqttPasswordHash(String hash) {
            this.mqttPasswordHash = hash;
            return this;
        }

        public Builder psk(String identity, String key) {
            this.pskIdentity = identity;
            this.pskKey = key;
            return this;
        }

        public Builder x509(String sha256) {
            this.x509Sha256 = sha256;
            return this;
        }

        public Builder configuration(JsonObject configuration) {
            this.configuration = configuration;
            return this;
        }

        public DeviceSpec build() {
            return new DeviceSpec(deviceId, thingId, binding, modelId, mqttUsername, mqttPassword, mqttPasswordHash, pskIdentity,
                    pskKey, x509Sha256, configuration);
        }
    }
}
