package io.rosetta.shell.internal;

import io.rosetta.security.AccessControl;
import io.rosetta.security.Grant;
import io.rosetta.security.Tokens;
import java.util.List;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes grant subjects: {@code token:<name>} of every token, and the subjects that have grants. */
@Service
public class SubjectCompleter implements Completer {

    @Reference
    AccessControl access;

    @Reference
    Tokens tokens;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> subjects = new TreeSet<>();
        tokens.list().forEach(t -> subjects.add(Grant.tokenSubject(t.name())));
        access.grants().forEach(g -> subjects.add(g.subject()));
        return new StringsCompleter(subjects).complete(session, commandLine, candidates);
    }
}
