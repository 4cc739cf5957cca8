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

/** Completes the namespaces the registry's things use. */
@Service
public class NamespaceCompleter implements Completer {

    @Reference
    TwinRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> namespaces = new TreeSet<>();
        for (Thing t : registry.things()) {
            namespaces.add(t.thingId().namespace());
        }
        return new StringsCompleter(namespaces).complete(session, commandLine, candidates);
    }
}
