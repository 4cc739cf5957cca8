package io.rosetta.shell.internal;

import io.rosetta.security.AccessControl;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.Grant;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * {@code rosetta:grant <user|token:name> <namespace|*|_> <READ|WRITE|ADMIN>} gives a subject a level on a namespace
 * (replacing the level it had there); {@code rosetta:grant --revoke <subject> <namespace>} removes it.
 */
@Service
@Command(scope = "rosetta", name = "grant", description = "Grants (or with --revoke removes) an access level on a namespace to a user or token")
public class GrantCommand implements Action {

    @Option(name = "--revoke", description = "Remove the subject's grant on the namespace")
    boolean revoke;

    @Argument(index = 0, name = "subject", description = "A user name, or token:<name>", required = true)
    @Completion(SubjectCompleter.class)
    String subject;

    @Argument(index = 1, name = "namespace", description = "A thing namespace, * for every namespace, _ for the default one", required = true)
    @Completion(NamespaceCompleter.class)
    String namespace;

    @Argument(index = 2, name = "level", description = "READ, WRITE or ADMIN (each includes the ones before)")
    @Completion(value = StringsCompleter.class, values = {"READ", "WRITE", "ADMIN"})
    String level;

    @Reference
    AccessControl access;

    PrintStream out = System.out;

    @Override
    public Object execute() throws CommandException {
        try {
            if (revoke) {
                if (!access.revoke(subject, namespace)) {
                    throw new CommandException("'" + subject + "' has no grant on '" + namespace + "'.");
                }
                out.println("Revoked the grant of '" + subject + "' on '" + namespace + "'.");
                return null;
            }
            if (level == null) {
                throw new CommandException("Name the level: READ, WRITE or ADMIN.");
            }
            Grant g = access.grant(subject, namespace, AccessLevel.parse(level));
            out.println("Granted " + g.level() + " on '" + g.namespace() + "' to '" + g.subject() + "'.");
            return null;
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CommandException(e.getMessage());
        }
    }
}
