package io.rosetta.devices.internal;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.models.ModelRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Checks what is to be provisioned, field by field, and makes the stored credentials: the password hash (Argon2id,
 * the expensive part, in {@link #finish}) and the sealed pre-shared key. Every refusal is a {@link DeviceException}
 * 400 whose message names the field.
 */
final class SpecChecker {

    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final Pattern BINDING = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");
    static final int MAX_PASSWORD = 256;
    static final int MAX_IDENTITY = 128;
    static final int MAX_PSK_BYTES = 64;

    /** A spec that passed every check but the hashing of its password. */
    record Checked(String deviceId, ThingId thingId, String binding, String modelId, String mqttUsername, String password,
                   String passwordHash, String pskIdentity, byte[] pskKey, String x509, JsonObject configuration) {

        boolean needsHash() {
            return password != null;
        }
    }

    /** Ready to store: the credentials as they are kept, and the password in the clear for the listeners (or null). */
    record Prepared(String deviceId, ThingId thingId, String binding, String modelId, Credentials credentials, String password,
                    JsonObject configuration) {
    }

    private final ModelRegistry models;
    private final String defaultNamespace;
    private final int passwordMinLength;
    private final int pskMinBytes;
    private final Argon2Passwords passwords;
    private final SecretBox box;

    SpecChecker(ModelRegistry models, String defaultNamespace, int passwordMinLength, int pskMinBytes, Argon2Passwords passwords,
                SecretBox box) {
        this.models = models;
        this.defaultNamespace = defaultNamespace;
        this.passwordMinLength = passwordMinLength;
        this.pskMinBytes = pskMinBytes;
        this.passwords = passwords;
        this.box = box;
    }

    ThingId thingId(DeviceSpec spec) {
        String deviceId = deviceId(spec.deviceId());
        try {
            return spec.thingId() == null ? ThingId.of(defaultNamespace, deviceId) : ThingId.of(spec.thingId());
        } catch (InvalidIdException e) {
            throw invalid(DeviceException.INVALID, "thingId: " + e.getMessage());
        }
    }

    Checked check(DeviceSpec spec) {
        String deviceId = deviceId(spec.deviceId());
        ThingId thingId = thingId(spec);
        String binding = spec.binding();
        if (binding != null && !BINDING.matcher(binding).matches()) {
            throw invalid(DeviceException.INVALID, "binding: '" + binding + "' is not a binding id (lower-case letters, digits, '.', '_', '-')");
        }
        String model = spec.modelId();
        if (model == null || model.isBlank()) {
            throw invalid(DeviceException.INVALID, "model: a device needs the id of its WoT Thing Model");
        }
        if (models.model(model).isEmpty()) {
            throw invalid(DeviceException.MODEL_UNKNOWN, "model: no model '" + model + "' is known (GET /api/2/models lists them)");
        }
        String username = spec.mqttUsername();
        String password = spec.mqttPassword();
        String hash = spec.mqttPasswordHash();
        if (username != null || password != null || hash != null) {
            username = username(username);
            if (password != null && hash != null) {
                throw credentials("mqtt: give mqttPassword or mqttPasswordHash, not both");
            }
            if (password == null && hash == null) {
                throw credentials("mqtt: the username '" + username + "' needs mqttPassword or mqttPasswordHash");
            }
            if (password != null) {
                password(password);
            } else {
                hash = hash(hash);
            }
        }
        String identity = spec.pskIdentity();
        byte[] key = null;
        if (identity != null || spec.pskKey() != null) {
            identity = identity(identity);
            key = key(spec.pskKey(), identity);
        }
        String x509 = spec.x509Sha256() == null ? null : fingerprint(spec.x509Sha256());
        JsonObject configuration = spec.configuration() == null ? JsonObject.empty() : spec.configuration();
        return new Checked(deviceId, thingId, binding, model, username, password, hash, identity, key, x509, configuration);
    }

    /** Hashes the password (Argon2id) and seals the key. */
    Prepared finish(Checked c) {
        String hash = c.passwordHash();
        if (c.password() != null) {
            byte[] pw = c.password().getBytes(StandardCharsets.UTF_8);
            try {
                hash = passwords.hash(pw);
            } finally {
                Arrays.fill(pw, (byte) 0);
            }
        }
        String sealed = null;
        if (c.pskKey() != null) {
            sealed = box.seal(c.pskKey(), c.pskIdentity());
            Arrays.fill(c.pskKey(), (byte) 0);
        }
        Credentials credentials = new Credentials(1, c.mqttUsername(), hash, c.pskIdentity(), sealed, c.x509());
        return new Prepared(c.deviceId(), c.thingId(), c.binding(), c.modelId(), credentials, c.password(), c.configuration());
    }

    static String deviceId(String id) {
        if (id == null || id.isBlank()) {
            throw invalid(DeviceException.INVALID, "deviceId: a device needs an id");
        }
        if (!DEVICE_ID.matcher(id).matches()) {
            throw invalid(DeviceException.INVALID, "deviceId: '" + id + "' is not a device id (letters, digits, '.', '_', '-'; "
                    + "starting with a letter or digit; at most 128 characters)");
        }
        return id;
    }

    String username(String username) {
        if (username == null) {
            throw credentials("mqtt: a password needs an mqttUsername");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw credentials("mqttUsername: '" + username + "' is not allowed (letters, digits, '.', '_', ':', '@', '-'; "
                    + "at most 128 characters)");
        }
        return username;
    }

    void password(String password) {
        if (password.length() < passwordMinLength) {
            throw credentials("mqttPassword: too short (" + password.length() + " characters; at least " + passwordMinLength + ")");
        }
        if (password.length() > MAX_PASSWORD) {
            throw credentials("mqttPassword: too long (at most " + MAX_PASSWORD + " characters)");
        }
    }

    static String hash(String hash) {
        try {
            return Argon2Passwords.checkHash(hash);
        } catch (IllegalArgumentException e) {
            throw credentials("mqttPasswordHash: " + e.getMessage());
        }
    }

    static String identity(String identity) {
        if (identity == null) {
            throw credentials("psk: a key needs a pskIdentity");
        }
        if (identity.isEmpty() || identity.length() > MAX_IDENTITY || identity.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw credentials("pskIdentity: 1 to " + MAX_IDENTITY + " characters without control characters");
        }
        return identity;
    }

    byte[] key(String text, String identity) {
        if (text == null) {
            throw credentials("psk: the identity '" + identity + "' needs a pskKey");
        }
        byte[] key;
        try {
            key = DeviceSpec.parseKey(text);
        } catch (IllegalArgumentException e) {
            throw credentials("pskKey: " + e.getMessage());
        }
        if (key.length < pskMinBytes || key.length > MAX_PSK_BYTES) {
            throw credentials("pskKey: " + key.length + " bytes; a pre-shared key has " + pskMinBytes + " to " + MAX_PSK_BYTES + " bytes");
        }
        return key;
    }

    static String fingerprint(String text) {
        try {
            return Credentials.normalizeFingerprint(text);
        } catch (IllegalArgumentException e) {
            throw credentials("x509Sha256: " + e.getMessage());
        }
    }

    SecretBox box() {
        return box;
    }

    Argon2Passwords passwords() {
        return passwords;
    }

    static DeviceException credentials(String message) {
        return invalid(DeviceException.CREDENTIALS_INVALID, "Bad credentials: " + message + ".");
    }

    static DeviceException invalid(String code, String message) {
        return DeviceException.invalid(code, message.endsWith(".") ? message : message + ".");
    }
}
