package io.rosetta.shell.internal;

import io.rosetta.security.Tokens;
import io.rosetta.security.Tokens.TokenInfo;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of the existing tokens. */
@Service
public class TokenNameCompleter implements Completer {

    @Reference
    Tokens tokens;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(tokens.list().stream().map(TokenInfo::name).toList()).complete(session, commandLine, candidates);
    }
}
