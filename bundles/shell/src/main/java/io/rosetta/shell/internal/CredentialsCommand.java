package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/**
 * {@code rosetta:credentials <deviceId> [changes] --reason <text>} replaces or removes a device's MQTT, DTLS PSK and X.509
 * credentials through the registry (which checks, hashes, seals, records the change and tells the enforcement points).
 * Generated secrets ({@code --generate}, {@code --generate-psk}) are printed once; the registry keeps only a hash of the
 * password and a sealed copy of the key.
 */
@Service
@Command(scope = "rosetta", name = "credentials", description = "Replaces or removes a device's credentials (MQTT, DTLS PSK, X.509)",
        detailedDescription = "rosetta:credentials <deviceId> [--mqtt-username u] [--mqtt-password p | --generate] "
                + "[--psk-identity i] [--psk-key hex:.. | --generate-psk] [--x509 sha256] [--remove-mqtt] [--remove-psk] [--remove-x509] "
                + "--reason <text> [--json]\n"
                + "Kinds not named are kept. A new password alone keeps the username, a new key alone keeps the identity; a device "
                + "without MQTT (PSK) credentials gets its device id as username (identity) unless one is given. Generated secrets "
                + "are printed once. Options may also follow the device id. The reason is required: it goes to the audit trail.")
public class CredentialsCommand implements Action {

    static final String USAGE = "rosetta:credentials <deviceId> [--mqtt-username u] [--mqtt-password p | --generate] [--psk-identity i] "
            + "[--psk-key hex:.. | --generate-psk] [--x509 sha256] [--remove-mqtt] [--remove-psk] [--remove-x509] --reason <text> [--json]";
    private static final Set<String> VALUED = Set.of("--mqtt-username", "--mqtt-password", "--psk-identity", "--psk-key", "--x509",
            "--reason", "-r");
    private static final Set<String> FLAGS = Set.of("--generate", "--generate-password", "--generate-psk", "--remove-mqtt",
            "--remove-psk", "--remove-x509", "--json");

    @Argument(index = 0, name = "deviceId", description = "The device's id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "options", description = "The options, also accepted after the device id", multiValued = true)
    List<String> trailing;

    @Option(name = "--mqtt-username", description = "New MQTT username (default for a device without MQTT credentials: its id)")
    String mqttUsername;

    @Option(name = "--mqtt-password", description = "New MQTT password (at least 8 characters; stored as an Argon2id hash)")
    String mqttPassword;

    @Option(name = "--generate", aliases = "--generate-password", description = "Generate a random MQTT password and print it once")
    boolean generatePassword;

    @Option(name = "--psk-identity", description = "New DTLS PSK identity (default for a device without a PSK: its id)")
    String pskIdentity;

    @Option(name = "--psk-key", description = "New DTLS pre-shared key: hex:00112233.., base64:.., or text")
    String pskKey;

    @Option(name = "--generate-psk", description = "Generate a random 128-bit pre-shared key and print it once")
    boolean generatePsk;

    @Option(name = "--x509", description = "New SHA-256 fingerprint of the device's certificate")
    String x509;

    @Option(name = "--remove-mqtt", description = "Remove the MQTT username and password")
    boolean removeMqtt;

    @Option(name = "--remove-psk", description = "Remove the PSK identity and key")
    boolean removePsk;

    @Option(name = "--remove-x509", description = "Remove the certificate fingerprint")
    boolean removeX509;

    @Option(name = "--reason", aliases = "-r", description = "Why (required; recorded in the audit trail)")
    String reason;

    @Option(name = "--json", description = "Print the device as JSON (with the generated secrets, if any) for scripts")
    boolean json;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;
    SecureRandom random = new SecureRandom();

    @Override
    public Object execute() throws Exception {
        takeTrailing();
        if (reason == null || reason.isBlank()) {
            throw new CommandException("Say why: --reason <text> (recorded in the audit trail).");
        }
        if (generatePassword && mqttPassword != null || generatePsk && pskKey != null) {
            throw new CommandException("Give a secret or have one generated, not both.");
        }
        if (removeMqtt && (mqttUsername != null || mqttPassword != null || generatePassword)) {
            throw new CommandException("--remove-mqtt removes the MQTT credentials: give no MQTT username or password with it.");
        }
        if (removePsk && (pskIdentity != null || pskKey != null || generatePsk)) {
            throw new CommandException("--remove-psk removes the pre-shared key: give no PSK identity or key with it.");
        }
        if (removeX509 && x509 != null) {
            throw new CommandException("--remove-x509 removes the certificate fingerprint: give no --x509 with it.");
        }
        Device before = registry.device(deviceId).orElseThrow(() -> new CommandException("No device with the id '" + deviceId + "'."));
        String password = generatePassword ? DeviceShell.newPassword(random) : mqttPassword;
        String username = mqttUsername == null && password != null && !before.credentials().hasMqtt() ? deviceId : mqttUsername;
        String key = generatePsk ? DeviceShell.newPskKey(random) : pskKey;
        String identity = pskIdentity == null && key != null && !before.credentials().hasPsk() ? deviceId : pskIdentity;
        CredentialsUpdate.Builder b = CredentialsUpdate.newBuilder();
        if (removeMqtt) {
            b.removeMqtt();
        } else if (username != null || password != null) {
            b.mqtt(username, password);
        }
        if (removePsk) {
            b.removePsk();
        } else if (identity != null || key != null) {
            b.psk(identity, key);
        }
        if (removeX509) {
            b.removeX509();
        } else if (x509 != null) {
            b.x509(x509);
        }
        CredentialsUpdate update = b.build();
        if (update.isEmpty()) {
            throw new CommandException("Nothing to change. Usage: " + USAGE);
        }
        Device after;
        try {
            after = registry.updateCredentials(deviceId, update, DeviceShell.actor(), reason);
        } catch (TwinException e) {
            throw DeviceShell.failure(e);
        }
        if (json) {
            JsonObject shown = after.toJson();
            JsonObject.Builder generated = JsonObject.newBuilder();
            if (generatePassword) {
                generated.set("mqttUsername", after.credentials().mqttUsername()).set("mqttPassword", password);
            }
            if (generatePsk) {
                generated.set("pskIdentity", after.credentials().pskIdentity()).set("pskKey", key);
            }
            JsonObject g = generated.build();
            out.println(Json.writePretty(g.isEmpty() ? shown : shown.set("generated", g)));
            return null;
        }
        out.println("Credentials of " + deviceId + " changed (version " + after.credentials().version() + "): " + changes(update)
                + ". Now: " + DeviceShell.credentials(after) + ".");
        if (generatePassword) {
            out.println("MQTT username: " + after.credentials().mqttUsername() + "  password (shown only now): " + password);
        }
        if (generatePsk) {
            out.println("PSK identity: " + after.credentials().pskIdentity() + "  key (shown only now): " + key);
        }
        return null;
    }

    private void takeTrailing() throws CommandException {
        Map<String, String> t = DeviceShell.trailing(trailing, VALUED, FLAGS, USAGE);
        for (Map.Entry<String, String> e : t.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "--mqtt-username" -> mqttUsername = v;
                case "--mqtt-password" -> mqttPassword = v;
                case "--psk-identity" -> pskIdentity = v;
                case "--psk-key" -> pskKey = v;
                case "--x509" -> x509 = v;
                case "--reason", "-r" -> reason = v;
                case "--generate", "--generate-password" -> generatePassword = true;
                case "--generate-psk" -> generatePsk = true;
                case "--remove-mqtt" -> removeMqtt = true;
                case "--remove-psk" -> removePsk = true;
                case "--remove-x509" -> removeX509 = true;
                case "--json" -> json = true;
                default -> throw new CommandException("Unexpected '" + e.getKey() + "'. Usage: " + USAGE);
            }
        }
    }

    /** What the update changes, without secrets: {@code MQTT password, PSK removed}. */
    static String changes(CredentialsUpdate u) {
        List<String> what = new ArrayList<>();
        if (u.removeMqtt()) {
            what.add("MQTT removed");
        } else {
            if (u.mqttUsername() != null) {
                what.add("MQTT username");
            }
            if (u.mqttPassword() != null) {
                what.add("MQTT password");
            }
        }
        if (u.removePsk()) {
            what.add("PSK removed");
        } else {
            if (u.pskIdentity() != null) {
                what.add("PSK identity");
            }
            if (u.pskKey() != null) {
                what.add("PSK key");
            }
        }
        if (u.removeX509()) {
            what.add("X.509 removed");
        } else if (u.x509Sha256() != null) {
            what.add("X.509 fingerprint");
        }
        return String.join(", ", what);
    }
}
