package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.DevicePage;
import io.rosetta.devices.DeviceQuery;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** {@code rosetta:devices}: the registered devices as a table (or JSON), filtered by state, binding, model and namespace. */
@Service
@Command(scope = "rosetta", name = "devices", description = "Lists the registered devices with their state and credentials")
public class DevicesCommand implements Action {

    @Option(name = "--state", aliases = "-s", description = "Only devices in this state")
    @Completion(value = StringsCompleter.class, values = {"PROVISIONED", "ACTIVE", "SUSPENDED", "DECOMMISSIONED"}, caseSensitive = false)
    String state;

    @Option(name = "--binding", aliases = "-b", description = "Only devices of this binding")
    @Completion(BindingIdCompleter.class)
    String binding;

    @Option(name = "--model", aliases = "-m", description = "Only devices of this model")
    @Completion(ModelIdCompleter.class)
    String model;

    @Option(name = "--namespace", aliases = "-n", description = "Only devices whose twins are in this namespace (a trailing * matches a prefix)")
    @Completion(NamespaceCompleter.class)
    String namespace;

    @Option(name = "--limit", aliases = "-l", description = "Show at most this many devices (0 = all)")
    int limit = 100;

    @Option(name = "--json", description = "Print a JSON array for scripts instead of a table")
    boolean json;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        if (limit < 0) {
            throw new CommandException("--limit must be 0 (all) or more.");
        }
        LifecycleState s = null;
        if (state != null) {
            try {
                s = LifecycleState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandException("Unknown state '" + state + "': PROVISIONED, ACTIVE, SUSPENDED or DECOMMISSIONED.");
            }
        }
        DevicePage page = registry.find(new DeviceQuery(s, binding, model, namespace, null, 0, limit));
        if (json) {
            List<JsonValue> items = new ArrayList<>(page.items().size());
            page.items().forEach(d -> items.add(d.toJson()));
            out.println(Json.writePretty(JsonArray.of(items)));
            return null;
        }
        DeviceShell.devices(page.items()).print(out);
        if (page.total() > page.items().size()) {
            out.println((page.total() - page.items().size()) + " more; use --limit 0 to see all " + page.total() + ".");
        }
        return null;
    }
}
