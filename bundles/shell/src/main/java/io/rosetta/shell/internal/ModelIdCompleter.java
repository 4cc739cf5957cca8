package io.rosetta.shell.internal;

import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.util.List;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of the device models (those with features) the model registry knows. */
@Service
public class ModelIdCompleter implements Completer {

    @Reference
    ModelRegistry models;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> ids = new TreeSet<>();
        for (ThingModel m : models.models()) {
            if (!m.features().isEmpty()) {
                ids.add(m.id());
            }
        }
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
