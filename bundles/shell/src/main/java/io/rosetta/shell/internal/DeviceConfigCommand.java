package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.ConfigurationStatus;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code rosetta:config get <deviceId>}: the desired configuration against what the device reported, value by value
 * (APPLIED, PENDING, REPORTED_ONLY). {@code rosetta:config set <deviceId> key=value... [--reason r]}: changes desired
 * values ({@code key=null} removes one); the binding delivers them to the device in its dialect.
 */
@Service
@Command(scope = "rosetta", name = "config", description = "Shows (get) or changes (set) a device's desired configuration, pending versus applied",
        detailedDescription = "rosetta:config get <deviceId> [--json]\n"
                + "rosetta:config set <deviceId> key=value [key=value]... [--reason <text>] [--json]\n"
                + "Values are JSON when they are JSON (30, true, \"text\", {\"a\":1}), else text; key=null removes the key; "
                + "a key may be a path (thresholds/high=28).")
public class DeviceConfigCommand implements Action {

    private static final String USAGE = "rosetta:config get <deviceId> | rosetta:config set <deviceId> key=value... [--reason <text>]";

    @Argument(index = 0, name = "action", description = "get or set", required = true)
    @Completion(value = StringsCompleter.class, values = {"get", "set"})
    String action;

    @Argument(index = 1, name = "deviceId", description = "The device's id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 2, name = "values", description = "key=value pairs (set); --reason and --json are also accepted here", multiValued = true)
    List<String> values;

    @Option(name = "--reason", aliases = "-r", description = "Why (recorded in the audit trail)")
    String reason;

    @Option(name = "--json", description = "Print the configuration state as JSON for scripts")
    boolean json;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        List<String> pairs = new ArrayList<>();
        if (values != null) {
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                if ((v.equals("--reason") || v.equals("-r")) && i + 1 < values.size()) {
                    reason = values.get(++i);
                } else if (v.equals("--json")) {
                    json = true;
                } else if (v.startsWith("-") && !v.contains("=")) {
                    throw new CommandException("Unexpected '" + v + "'. Usage: " + USAGE);
                } else {
                    pairs.add(v);
                }
            }
        }
        try {
            switch (action.toLowerCase(Locale.ROOT)) {
                case "get" -> {
                    if (!pairs.isEmpty()) {
                        throw new CommandException("rosetta:config get takes no values; to change them: rosetta:config set " + deviceId + " key=value");
                    }
                }
                case "set" -> {
                    if (pairs.isEmpty()) {
                        throw new CommandException("Nothing to set. Usage: " + USAGE);
                    }
                    JsonObject patch = DeviceShell.assignments(pairs);
                    registry.configure(deviceId, patch, DeviceShell.actor(), reason);
                }
                default -> throw new CommandException("Unknown action '" + action + "'. Usage: " + USAGE);
            }
            ConfigurationStatus status = registry.configuration(deviceId);
            if (json) {
                out.println(Json.writePretty(status.toJson()));
            } else {
                table(status).print(out);
                out.println(status.inSync() ? "In sync: the device reports every desired value."
                        : status.pending().size() + " pending: the device has not reported them yet.");
            }
            return null;
        } catch (TwinException e) {
            throw DeviceShell.failure(e);
        }
    }

    static ShellTable table(ConfigurationStatus status) {
        ShellTable table = new ShellTable().emptyTableText("No configuration is desired or reported for " + status.deviceId() + ".");
        table.column("Key");
        table.column("Desired").maxSize(50);
        table.column("Reported").maxSize(50);
        table.column("State");
        for (ConfigurationStatus.Entry e : status.entries()) {
            table.addRow().addContent(e.path(), e.desired() == null ? "-" : Json.write(e.desired()),
                    e.reported() == null ? "-" : Json.write(e.reported()), e.state());
        }
        return table;
    }
}
