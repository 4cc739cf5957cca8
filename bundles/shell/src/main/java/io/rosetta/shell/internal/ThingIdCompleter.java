package io.rosetta.shell.internal;

import io.rosetta.core.model.Thing;
import io.rosetta.core.registry.TwinRegistry;
import java.util.List;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes thing ids from the registry; offers at most {@value #MAX_CANDIDATES} of those that start with what was typed. */
@Service
public class ThingIdCompleter implements Completer {

    static final int MAX_CANDIDATES = 500;

    @Reference
    TwinRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String typed = typed(commandLine);
        StringsCompleter delegate = new StringsCompleter(candidates(registry.things(), typed));
        return delegate.complete(session, commandLine, candidates);
    }

    static String typed(CommandLine commandLine) {
        String arg = commandLine.getCursorArgument();
        if (arg == null) {
            return "";
        }
        int pos = Math.min(Math.max(0, commandLine.getArgumentPosition()), arg.length());
        return arg.substring(0, pos);
    }

    static TreeSet<String> candidates(Iterable<Thing> things, String prefix) {
        TreeSet<String> ids = new TreeSet<>();
        for (Thing t : things) {
            String id = t.thingId().toString();
            if (id.startsWith(prefix)) {
                ids.add(id);
                if (ids.size() > MAX_CANDIDATES) {
                    ids.pollLast();
                }
            }
        }
        return ids;
    }
}
