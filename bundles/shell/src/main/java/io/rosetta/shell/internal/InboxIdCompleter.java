package io.rosetta.shell.internal;

import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.inbox.InboxEntry;
import java.util.List;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the thing ids of inbox entries that start with what was typed (at most {@value ThingIdCompleter#MAX_CANDIDATES}). */
@Service
public class InboxIdCompleter implements Completer {

    @Reference
    Inbox inbox;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(candidates(inbox.entries(), ThingIdCompleter.typed(commandLine))).complete(session, commandLine, candidates);
    }

    static TreeSet<String> candidates(List<InboxEntry> entries, String prefix) {
        TreeSet<String> ids = new TreeSet<>();
        for (InboxEntry e : entries) {
            String id = e.thingId().toString();
            if (id.startsWith(prefix)) {
                ids.add(id);
                if (ids.size() > ThingIdCompleter.MAX_CANDIDATES) {
                    ids.pollLast();
                }
            }
        }
        return ids;
    }
}
