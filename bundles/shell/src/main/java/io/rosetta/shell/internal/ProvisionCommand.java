package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.ImportFormat;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code rosetta:provision <deviceId> --model <model> [credentials] [--config k=v]...} provisions one device;
 * {@code rosetta:provision --file fleet.csv|fleet.json [--dry-run] [--atomic]} imports a fleet, showing progress and a
 * report of the rejected rows. Generated secrets ({@code --generate-password}, {@code --generate-psk}) are printed
 * once; the registry keeps only a hash of the password and a sealed copy of the key.
 */
@Service
@Command(scope = "rosetta", name = "provision", description = "Provisions a device, or a fleet from a CSV or JSON file",
        detailedDescription = "rosetta:provision <deviceId> --model <model> [--thing ns:name] [--binding b] [--mqtt-username u] "
                + "[--mqtt-password p | --generate-password] [--psk-identity i] [--psk-key hex:.. | --generate-psk] [--x509 sha256] "
                + "[--config key=value]... [--reason text] [--json]\n"
                + "rosetta:provision --file <devices.csv|devices.json> [--dry-run] [--atomic] [--json]\n"
                + "Options may also follow the device id. The file is read on the server (relative to the Karaf home); "
                + "its formats are in docs/ADMIN.md. The command fails (non-zero exit in bin/rosetta) when any row is rejected.")
public class ProvisionCommand implements Action {

    static final int MAX_ERRORS_SHOWN = 50;
    private static final String USAGE = "rosetta:provision <deviceId> --model <model> [options], or rosetta:provision --file <file>";
    private static final Set<String> VALUED = Set.of("--model", "-m", "--thing", "-t", "--binding", "-b", "--mqtt-username",
            "--mqtt-password", "--psk-identity", "--psk-key", "--x509", "--config", "-c", "--reason", "-r", "--file", "-f");
    private static final Set<String> FLAGS = Set.of("--generate-password", "--generate-psk", "--dry-run", "--atomic", "--json");

    @Argument(index = 0, name = "deviceId", description = "The device's id (letters, digits, '.', '_', '-')")
    String deviceId;

    @Argument(index = 1, name = "options", description = "The options, also accepted after the device id", multiValued = true)
    List<String> trailing;

    @Option(name = "--model", aliases = "-m", description = "Its WoT Thing Model (required for one device)")
    @Completion(ModelIdCompleter.class)
    String model;

    @Option(name = "--thing", aliases = "-t", description = "Its twin, namespace:name (default: the registry's default namespace and the device id)")
    @Completion(ThingIdCompleter.class)
    String thing;

    @Option(name = "--binding", aliases = "-b", description = "The binding that serves it (mqtt, coap, ...)")
    @Completion(BindingIdCompleter.class)
    String binding;

    @Option(name = "--mqtt-username", description = "MQTT username (default: the device id, when a password is given)")
    String mqttUsername;

    @Option(name = "--mqtt-password", description = "MQTT password (at least 8 characters; stored as an Argon2id hash)")
    String mqttPassword;

    @Option(name = "--generate-password", description = "Generate a random MQTT password and print it once")
    boolean generatePassword;

    @Option(name = "--psk-identity", description = "DTLS PSK identity (default: the device id, when a key is given)")
    String pskIdentity;

    @Option(name = "--psk-key", description = "DTLS pre-shared key: hex:00112233.., base64:.., or text")
    String pskKey;

    @Option(name = "--generate-psk", description = "Generate a random 128-bit pre-shared key and print it once")
    boolean generatePsk;

    @Option(name = "--x509", description = "SHA-256 fingerprint of the device's certificate")
    String x509;

    @Option(name = "--config", aliases = "-c", description = "A desired configuration value, key=value (repeat for more)", multiValued = true)
    List<String> config;

    @Option(name = "--reason", aliases = "-r", description = "Why (recorded in the audit trail)")
    String reason;

    @Option(name = "--file", aliases = "-f", description = "Import the devices of a CSV or JSON file instead")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--dry-run", description = "With --file: check every row, change nothing")
    boolean dryRun;

    @Option(name = "--atomic", description = "With --file: import nothing when any row is rejected")
    boolean atomic;

    @Option(name = "--json", description = "Print the device or the import report as JSON")
    boolean json;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;
    SecureRandom random = new SecureRandom();

    @Override
    public Object execute() throws Exception {
        takeTrailing();
        try {
            if (file != null) {
                return importFile();
            }
            return provisionOne();
        } catch (TwinException e) {
            throw DeviceShell.failure(e);
        }
    }

    private void takeTrailing() throws CommandException {
        Map<String, String> t = DeviceShell.trailing(trailing, VALUED, FLAGS, USAGE);
        List<String> configs = config == null ? new ArrayList<>() : new ArrayList<>(config);
        if (trailing != null) {
            for (int i = 0; i < trailing.size(); i++) {
                if ((trailing.get(i).equals("--config") || trailing.get(i).equals("-c")) && i + 1 < trailing.size()) {
                    configs.add(trailing.get(++i));
                }
            }
        }
        config = configs;
        for (Map.Entry<String, String> e : t.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "--model", "-m" -> model = v;
                case "--thing", "-t" -> thing = v;
                case "--binding", "-b" -> binding = v;
                case "--mqtt-username" -> mqttUsername = v;
                case "--mqtt-password" -> mqttPassword = v;
                case "--psk-identity" -> pskIdentity = v;
                case "--psk-key" -> pskKey = v;
                case "--x509" -> x509 = v;
                case "--reason", "-r" -> reason = v;
                case "--file", "-f" -> file = v;
                case "--generate-password" -> generatePassword = true;
                case "--generate-psk" -> generatePsk = true;
                case "--dry-run" -> dryRun = true;
                case "--atomic" -> atomic = true;
                case "--json" -> json = true;
                default -> {
                    // --config: collected above
                }
            }
        }
    }

    private Object provisionOne() throws CommandException {
        if (deviceId == null) {
            throw new CommandException("Name the device, or give --file. Usage: " + USAGE);
        }
        if (model == null) {
            throw new CommandException("Give the device's model: --model <model id> (rosetta:provision <TAB> completes them).");
        }
        if (generatePassword && mqttPassword != null || generatePsk && pskKey != null) {
            throw new CommandException("Give a secret or have one generated, not both.");
        }
        String password = generatePassword ? DeviceShell.newPassword(random) : mqttPassword;
        String key = generatePsk ? DeviceShell.newPskKey(random) : pskKey;
        String username = mqttUsername == null && password != null ? deviceId : mqttUsername;
        String identity = pskIdentity == null && key != null ? deviceId : pskIdentity;
        JsonObject configuration = config.isEmpty() ? null : DeviceShell.assignments(config);
        DeviceSpec spec = DeviceSpec.newBuilder(deviceId).thingId(thing).binding(binding).model(model).mqtt(username, password)
                .psk(identity, key).x509(x509).configuration(configuration).build();
        Device d = registry.provision(spec, DeviceShell.actor(), reason);
        if (json) {
            out.println(Json.writePretty(d.toJson()));
        } else {
            out.println("Provisioned " + d.deviceId() + " as " + d.thingId() + " (" + d.modelId() + "), state " + d.state() + ".");
        }
        if (generatePassword) {
            out.println("MQTT username: " + username + "  password (shown only now): " + password);
        }
        if (generatePsk) {
            out.println("PSK identity: " + identity + "  key (shown only now): " + key);
        }
        return null;
    }

    private Object importFile() throws CommandException {
        if (deviceId != null || model != null || mqttPassword != null || pskKey != null || generatePassword || generatePsk) {
            throw new CommandException("--file imports the devices of the file: give no device id, model or credentials with it.");
        }
        Path path = Path.of(file);
        ImportFormat format = ImportFormat.ofFileName(file).orElseThrow(() ->
                new CommandException("Cannot tell the format of '" + file + "': name it *.csv or *.json."));
        ImportOptions options = ImportOptions.defaults().withDryRun(dryRun).withAtomic(atomic);
        ImportReport report;
        Progress progress = new Progress(out, json);
        try (InputStream in = Files.newInputStream(path)) {
            report = registry.importDevices(format, in, options, progress, DeviceShell.actor());
        } catch (NoSuchFileException e) {
            throw new CommandException("No file '" + path.toAbsolutePath() + "' (the path is read on the server).");
        } catch (IOException e) {
            throw new CommandException("The file '" + path.toAbsolutePath() + "' cannot be read: " + e.getMessage());
        }
        if (json) {
            out.println(Json.writePretty(report.toJson()));
        } else {
            if (!report.errors().isEmpty()) {
                errors(report).print(out);
            }
            out.println(summary(report));
        }
        if (report.rejected() > 0) {
            throw new CommandException(report.rejected() + " of " + report.rows() + " rows rejected; " + report.imported() + " devices imported"
                    + (report.atomic() && !report.dryRun() ? " (atomic: none)" : "") + ".");
        }
        return null;
    }

    static String summary(ImportReport r) {
        if (r.dryRun()) {
            return "Dry run: " + r.rows() + " rows, " + r.valid() + " valid, " + r.rejected() + " rejected; nothing imported (" + r.millis() + " ms).";
        }
        return "Imported " + r.imported() + " of " + r.rows() + " devices, " + r.rejected() + " rows rejected, in " + r.millis() + " ms.";
    }

    static ShellTable errors(ImportReport r) {
        ShellTable table = new ShellTable();
        table.column("Row").alignRight();
        table.column("Device");
        table.column("Error");
        table.column("Message").maxSize(100);
        for (ImportReport.RowError e : r.errors().subList(0, Math.min(MAX_ERRORS_SHOWN, r.errors().size()))) {
            table.addRow().addContent(e.row(), e.deviceId() == null ? "-" : e.deviceId(), e.error(), e.message());
        }
        if (r.errors().size() > MAX_ERRORS_SHOWN) {
            table.addRow().addContent("", "", "", "... and " + (r.errors().size() - MAX_ERRORS_SHOWN) + " more rows (--json lists every one)");
        }
        return table;
    }

    /** One line every two seconds or so, and never for scripts that asked for JSON. */
    static final class Progress implements io.rosetta.devices.ImportProgress {
        private final PrintStream out;
        private final boolean quiet;
        private long last = System.nanoTime();

        Progress(PrintStream out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public void progress(int processed, int total, int rejected) {
            long now = System.nanoTime();
            if (quiet || processed == 0 || processed == total || now - last < 2_000_000_000L) {
                return;
            }
            last = now;
            out.println("  " + processed + " / " + total + " rows" + (rejected > 0 ? ", " + rejected + " rejected" : "") + " ...");
            out.flush();
        }
    }
}
