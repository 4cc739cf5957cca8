package io.rosetta.shell.internal;

import io.rosetta.core.inbox.Inbox;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rosetta:approve <thingId>...}: approves discovered devices; their twins are created and their bindings serve them. */
@Service
@Command(scope = "rosetta", name = "approve", description = "Approves discovered devices of the inbox: creates their twins, their bindings serve them")
public class ApproveCommand implements Action {

    @Argument(index = 0, name = "thingIds", description = "Thing ids of inbox entries (rosetta:inbox lists them)", required = true, multiValued = true)
    @Completion(InboxIdCompleter.class)
    List<String> thingIds;

    @Option(name = "--json", description = "Print the approved entries as a JSON array")
    boolean json;

    @Reference
    Inbox inbox;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        InboxDecision.decide(thingIds, true, inbox, json, out);
        return null;
    }
}
