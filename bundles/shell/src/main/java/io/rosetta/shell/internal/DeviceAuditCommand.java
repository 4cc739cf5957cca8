package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonValue;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/** {@code rosetta:audit [deviceId]}: who did what to which device, when and why, oldest first. */
@Service
@Command(scope = "rosetta", name = "audit", description = "Shows the device registry's audit trail: provisioning, lifecycle, credential and configuration changes")
public class DeviceAuditCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "Only this device's records")
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "options", description = "--since, --limit and --json, also accepted after the device id", multiValued = true)
    List<String> trailing;

    @Option(name = "--since", description = "Only records from this time on: a date (2026-11-01), an instant, or a duration back (24h, 7d)")
    String since;

    @Option(name = "--limit", aliases = "-l", description = "The newest this many records")
    int limit = 50;

    @Option(name = "--json", description = "Print a JSON array for scripts instead of a table")
    boolean json;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        var t = DeviceShell.trailing(trailing, java.util.Set.of("--since", "--limit", "-l"), java.util.Set.of("--json"),
                "rosetta:audit [deviceId] [--since <when>] [--limit <n>] [--json]");
        since = t.getOrDefault("--since", since);
        String l = t.getOrDefault("--limit", t.get("-l"));
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw new CommandException("--limit must be a number, not '" + l + "'.");
            }
        }
        json = json || t.containsKey("--json");
        if (limit <= 0) {
            throw new CommandException("--limit must be positive.");
        }
        if (deviceId != null && registry.device(deviceId).isEmpty()) {
            throw new CommandException("No device with the id '" + deviceId + "'.");
        }
        Instant from = null;
        if (since != null) {
            try {
                Instant now = Instant.now();
                // a duration back from now, or a date/instant as rosetta:token --expires reads them
                from = since.matches("\\d+[dhm]") || since.startsWith("P") ? now.minus(java.time.Duration.between(now, TokenCommand.expiry(since, now)))
                        : TokenCommand.expiry(since, now);
            } catch (IllegalArgumentException e) {
                throw new CommandException("Invalid --since '" + since + "': a date (2026-11-01), an instant (2026-11-01T12:00:00Z) or a duration back (24h, 7d).");
            }
        }
        List<AuditEntry> entries = registry.audit(new AuditQuery(deviceId, from, limit));
        if (json) {
            List<JsonValue> items = new ArrayList<>(entries.size());
            entries.forEach(e -> items.add(e.toJson()));
            out.println(Json.writePretty(JsonArray.of(items)));
            return null;
        }
        DeviceShell.audit(entries).print(out);
        return null;
    }
}
