package io.rosetta.shell.internal;

import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code rosetta:inbox}: the devices bindings discovered, waiting for approval (or rejected, or approved
 * recently), as a table or JSON; {@code --remove <thingId>} removes an entry (lifting a rejection).
 */
@Service
@Command(scope = "rosetta", name = "inbox", description = "Lists the discovered devices of the inbox (approve with rosetta:approve, reject with rosetta:reject)")
public class InboxCommand implements Action {

    @Option(name = "--status", aliases = "-s", description = "Only entries with this status: PENDING, APPROVED or REJECTED")
    @Completion(value = StringsCompleter.class, values = {"PENDING", "APPROVED", "REJECTED"}, caseSensitive = false)
    String status;

    @Option(name = "--remove", description = "Remove the entry of this thing id (a rejected device may then be discovered again)")
    @Completion(InboxIdCompleter.class)
    String remove;

    @Option(name = "--json", description = "Print a JSON array for scripts instead of a table")
    boolean json;

    @Reference
    Inbox inbox;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        if (remove != null) {
            ThingId id = InboxDecision.thingId(remove);
            if (!inbox.remove(id)) {
                throw new CommandException("The inbox has no entry for '" + id + "'.");
            }
            out.println("Removed the inbox entry of " + id + ".");
            return null;
        }
        InboxEntry.Status wanted;
        try {
            wanted = status == null ? null : InboxEntry.Status.parse(status);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        List<InboxEntry> entries = new ArrayList<>();
        for (InboxEntry e : inbox.entries()) {
            if (wanted == null || e.status() == wanted) {
                entries.add(e);
            }
        }
        if (json) {
            List<JsonValue> list = new ArrayList<>();
            entries.forEach(e -> list.add(e.toJson()));
            out.println(Json.writePretty(JsonArray.of(list)));
            return null;
        }
        table(entries).print(out);
        return null;
    }

    static ShellTable table(List<InboxEntry> entries) {
        ShellTable table = new ShellTable().emptyTableText("The inbox is empty.");
        table.column("Thing ID");
        table.column("Status");
        table.column("Dialect");
        table.column("Source");
        table.column("Model");
        table.column("Last seen");
        table.column("Decided by");
        for (InboxEntry e : entries) {
            table.addRow().addContent(e.thingId().toString(), e.status(), e.dialect(), e.source(), e.model() == null ? "" : e.model(),
                    e.lastSeen().toString(), e.decidedBy() == null ? "" : e.decidedBy() + " " + e.decidedAt());
        }
        return table;
    }
}
