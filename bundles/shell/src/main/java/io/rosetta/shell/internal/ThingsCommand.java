package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.registry.TwinRegistry;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** {@code rosetta:things}: the twins as a table (or JSON), filtered by namespace and status. */
@Service
@Command(scope = "rosetta", name = "things", description = "Lists the digital twins with their status")
public class ThingsCommand implements Action {

    @Option(name = "--namespace", aliases = "-n", description = "Only things of this namespace (a trailing * matches a prefix)")
    @Completion(NamespaceCompleter.class)
    String namespace;

    @Option(name = "--status", aliases = "-s", description = "Only things with this status: ONLINE, OFFLINE, UNKNOWN, or e.g. OFFLINE/BINDING_MISSING")
    @Completion(value = StringsCompleter.class, values = {"ONLINE", "OFFLINE", "UNKNOWN", "OFFLINE/BINDING_MISSING",
            "OFFLINE/COMMUNICATION_ERROR", "OFFLINE/CONFIGURATION_ERROR", "OFFLINE/GONE"}, caseSensitive = false)
    String status;

    @Option(name = "--limit", aliases = "-l", description = "Show at most this many things (0 = all)")
    int limit = 100;

    @Option(name = "--json", description = "Print a JSON array for scripts instead of a table")
    boolean json;

    @Reference
    TwinRegistry registry;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        ThingListing.Selection selection;
        try {
            selection = ThingListing.select(registry.things(), namespace, status, limit);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        if (json) {
            out.println(Json.writePretty(ThingListing.json(selection.things())));
            return null;
        }
        ThingListing.table(selection.things()).print(out);
        if (selection.matched() > selection.things().size()) {
            out.println((selection.matched() - selection.things().size()) + " more; use --limit 0 to see all "
                    + selection.matched() + ".");
        }
        return null;
    }
}
