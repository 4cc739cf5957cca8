package io.rosetta.shell.internal;

import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.Device;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * What the device commands share: options written after the arguments (Karaf stops reading options at the first
 * argument), values typed as {@code key=value}, errors as one line, and the tables.
 */
final class DeviceShell {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private DeviceShell() {
    }

    /** The name of the user running the command (its JAAS subject), for the audit trail. */
    static String actor() {
        String user = org.apache.karaf.shell.support.ShellUtil.getCurrentUserName();
        return user == null || user.isBlank() ? "shell" : user;
    }

    /** A refusal of the registry as the one line a shell user reads (and {@code bin/rosetta} turns into a non-zero exit). */
    static CommandException failure(TwinException e) {
        return new CommandException(e.getMessage());
    }

    /**
     * Options found after the arguments: {@code valued} take the next word, {@code flags} stand alone. Anything else
     * is refused with {@code usage}.
     */
    static Map<String, String> trailing(List<String> words, Set<String> valued, Set<String> flags, String usage) throws CommandException {
        Map<String, String> out = new LinkedHashMap<>();
        if (words == null) {
            return out;
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (flags.contains(w)) {
                out.put(w, "true");
            } else if (valued.contains(w) && i + 1 < words.size()) {
                out.put(w, words.get(++i));
            } else {
                throw new CommandException("Unexpected '" + w + "'. Usage: " + usage);
            }
        }
        return out;
    }

    /**
     * {@code key=value} pairs as a JSON merge patch: the key may be a path ({@code thresholds/high}), the value is JSON
     * when it is JSON ({@code 30}, {@code true}, {@code "x"}, {@code {..}}), else text; {@code key=null} removes the key.
     */
    static JsonObject assignments(List<String> pairs) throws CommandException {
        JsonObject patch = JsonObject.empty();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CommandException("'" + pair + "' is not key=value (for example interval=30, mode=eco, thresholds/high=28, mode=null).");
            }
            String key = pair.substring(0, eq).trim();
            JsonPointer path;
            try {
                path = JsonPointer.of(key.startsWith("/") ? key : "/" + key);
            } catch (IllegalArgumentException e) {
                throw new CommandException("'" + key + "' is not a configuration key: " + e.getMessage());
            }
            patch = patch.set(path, value(pair.substring(eq + 1).trim()));
        }
        return patch;
    }

    static JsonValue value(String text) {
        if (text.isEmpty()) {
            return JsonString.of("");
        }
        char c = text.charAt(0);
        if (c == '{' || c == '[' || c == '"' || c == '-' || Character.isDigit(c) || text.equals("true") || text.equals("false")
                || text.equals("null")) {
            try {
                return Json.parse(text);
            } catch (InvalidJsonException e) {
                return JsonString.of(text);
            }
        }
        return JsonString.of(text);
    }

    /** A random MQTT password: 18 bytes, 24 characters of URL-safe Base64. */
    static String newPassword(SecureRandom random) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A random 128-bit pre-shared key as {@code hex:..}. */
    static String newPskKey(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return "hex:" + HexFormat.of().formatHex(b);
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String credentials(Device d) {
        StringBuilder sb = new StringBuilder();
        if (d.credentials().hasMqtt()) {
            sb.append("mqtt:").append(d.credentials().mqttUsername());
        }
        if (d.credentials().hasPsk()) {
            sb.append(sb.length() > 0 ? " " : "").append("psk:").append(d.credentials().pskIdentity());
        }
        if (d.credentials().hasCertificate()) {
            sb.append(sb.length() > 0 ? " " : "").append("x509:").append(d.credentials().x509Sha256(), 0, 12).append("..");
        }
        return sb.length() == 0 ? "-" : sb.toString();
    }

    static ShellTable devices(List<Device> devices) {
        ShellTable table = new ShellTable().emptyTableText("No devices. Provision one with rosetta:provision, or a fleet with rosetta:provision --file.");
        table.column("Device ID");
        table.column("Thing ID");
        table.column("Binding");
        table.column("Model");
        table.column("State");
        table.column("Credentials");
        table.column("Updated");
        for (Device d : devices) {
            table.addRow().addContent(d.deviceId(), d.thingId(), d.binding() == null ? "-" : d.binding(), d.modelId(), d.state(),
                    credentials(d), time(d.updated()));
        }
        return table;
    }

    static ShellTable audit(List<AuditEntry> entries) {
        ShellTable table = new ShellTable().emptyTableText("No audit records.");
        table.column("Time");
        table.column("Actor");
        table.column("Device");
        table.column("Action");
        table.column("Detail").maxSize(60);
        table.column("Reason").maxSize(40);
        for (AuditEntry e : entries) {
            table.addRow().addContent(time(e.time()), e.actor(), e.deviceId(), e.action(), e.detail() == null ? "" : e.detail(),
                    e.reason() == null ? "" : e.reason());
        }
        return table;
    }
}
