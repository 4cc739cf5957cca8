package io.rosetta.devices;

/**
 * A change of a device's credentials: each kind (MQTT, PSK, X.509) is kept, replaced or removed. Replacing the MQTT
 * password alone keeps the username; a new PSK key alone keeps the identity.
 */
public record CredentialsUpdate(String mqttUsername, String mqttPassword, String mqttPasswordHash, boolean removeMqtt,
                                String pskIdentity, String pskKey, boolean removePsk, String x509Sha256, boolean removeX509) {

    public static Builder newBuilder() {
        return new Builder();
    }

    public boolean changesMqtt() {
        return removeMqtt || mqttUsername != null || mqttPassword != null || mqttPasswordHash != null;
    }

    public boolean changesPsk() {
        return removePsk || pskIdentity != null || pskKey != null;
    }

    public boolean changesX509() {
        return removeX509 || x509Sha256 != null;
    }

    public boolean isEmpty() {
        return !changesMqtt() && !changesPsk() && !changesX509();
    }

    /** Without the password and the key. */
    @Override
    public String toString() {
        return "CredentialsUpdate[mqttUsername=" + mqttUsername + ", mqttPassword=" + (mqttPassword != null ? "***" : null)
                + ", mqttPasswordHash=" + (mqttPasswordHash != null ? "***" : null) + ", removeMqtt=" + removeMqtt + ", pskIdentity="
                + pskIdentity + ", pskKey=" + (pskKey != null ? "***" : null) + ", removePsk=" + removePsk + ", x509Sha256=" + x509Sha256
                + ", removeX509=" + removeX509 + "]";
    }

    public static final class Builder {
        private String mqttUsername;
        private String mqttPassword;
        private String mqttPasswordHash;
        private boolean removeMqtt;
        private String pskIdentity;
        private String pskKey;
        private boolean removePsk;
        private String x509Sha256;
        private boolean removeX509;

        private Builder() {
        }

        /** A new username and/or password ({@code null} keeps the current one). */
        public Builder mqtt(String username, String password) {
            this.mqttUsername = username;
            this.mqttPassword = password;
            return this;
        }

        public Builder mqttPasswordHash(String hash) {
            this.mqttPasswordHash = hash;
            return this;
        }

        public Builder removeMqtt() {
            this.removeMqtt = true;
            return this;
        }

        /** A new identity and/or key ({@code null} keeps the current one); the key in {@link DeviceSpec#parseKey} form. */
        public Builder psk(String identity, String key) {
            this.pskIdentity = identity;
            this.pskKey = key;
            return this;
        }

        public Builder removePsk() {
            this.removePsk = true;
            return this;
        }

        public Builder x509(String sha256) {
            this.x509Sha256 = sha256;
            return this;
        }

        public Builder removeX509() {
            this.removeX509 = true;
            return this;
        }

        public CredentialsUpdate build() {
            return new CredentialsUpdate(mqttUsername, mqttPassword, mqttPasswordHash, removeMqtt, pskIdentity, pskKey, removePsk,
                    x509Sha256, removeX509);
        }
    }
}
