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

/**
 * {@code rosetta:reject <thingId>...}: rejects discovered devices; their messages are dropped until the
 * entry is removed ({@code rosetta:inbox --remove}). An approved device is detached, its twin kept.
 */
@Service
@Command(scope = "rosetta", name = "reject", description = "Rejects discovered devices of the inbox: their messages are dropped until the entry is removed")
public class RejectCommand implements Action {

    @Argument(index = 0, name = "thingIds", description = "Thing ids of inbox entries (rosetta:inbox lists them)", required = true, multiValued = true)
    @Completion(InboxIdCompleter.class)
    List<String> thingIds;

    @Option(name = "--json", description = "Print the rejected entries as a JSON array")
    boolean json;

    @Reference
    Inbox inbox;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        InboxDecision.decide(thingIds, false, inbox, json, out);
        return null;
    }
}
