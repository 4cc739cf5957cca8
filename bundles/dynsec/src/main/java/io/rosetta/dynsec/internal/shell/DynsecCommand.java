package io.rosetta.dynsec.internal.shell;

import io.rosetta.dynsec.internal.DynsecSync;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/**
 * {@code rosetta:dynsec} shows the state of the push to Mosquitto's dynamic security plugin (connection, queue, answers,
 * refusals, the last resync); {@code rosetta:dynsec --resync} reconciles Mosquitto with the registry now (after a
 * restart of Mosquitto, for instance) and prints what it did. Fails when the push is off or the resync fails.
 */
@Service
@Command(scope = "rosetta", name = "dynsec", description = "Mosquitto dynamic security: status, or --resync with the device registry")
public class DynsecCommand implements Action {

    @Option(name = "--resync", description = "Reconcile Mosquitto's clients and roles with the registry and wait for the answers")
    boolean resync;

    @Option(name = "--timeout", description = "Seconds to wait for a resync (default 60)")
    int timeoutSeconds = 60;

    @Reference
    DynsecSync sync;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        if (resync) {
            if (sync.state() == DynsecSync.State.OFF || sync.state() == DynsecSync.State.INVALID) {
                throw new CommandException("Mosquitto dynamic security is " + sync.state() + " (etc/io.rosetta.dynsec.cfg)");
            }
            DynsecSync.ResyncReport r;
            try {
                r = sync.resync().get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new CommandException("The resync did not finish within " + timeoutSeconds + " s (state " + sync.state()
                        + "); it goes on in the background");
            } catch (ExecutionException e) {
                throw new CommandException("The resync failed: " + e.getCause().getMessage());
            }
            print(r);
            if (r.error() != null || r.failed() > 0) {
                throw new CommandException("The resync " + (r.error() != null ? "failed: " + r.error() : "had " + r.failed() + " refused command(s)"));
            }
            return null;
        }
        DynsecSync.Status s = sync.status();
        out.println("State:            " + s.state() + (s.problem().isEmpty() ? "" : " (" + s.problem() + ")"));
        out.println("Broker:           " + s.url());
        out.println("Queued/in flight: " + s.queued() + " / " + s.inflight());
        out.println("Commands sent:    " + s.sent());
        out.println("Succeeded:        " + format(s.succeeded()));
        out.println("Refused:          " + format(s.failed()));
        out.println("Unanswered:       " + s.timeouts());
        out.println("Dropped (queue):  " + s.dropped());
        out.println("Password unknown: " + s.passwordUnknown());
        out.println("Resync running:   " + s.resyncRunning());
        if (s.lastResync() != null) {
            out.print("Last resync:      ");
            print(s.lastResync());
        }
        return null;
    }

    private void print(DynsecSync.ResyncReport r) {
        if (r.error() != null) {
            out.println("failed at " + r.finished() + ": " + r.error());
            return;
        }
        out.println(r.finished() + ": " + r.commands() + " command(s), " + r.failed() + " refused; roles " + r.rolesCreated() + " created, "
                + r.rolesUpdated() + " updated, " + r.rolesDeleted() + " deleted; clients " + r.clientsUpdated() + " updated, "
                + r.clientsEnabled() + " enabled, " + r.clientsDisabled() + " disabled, " + r.clientsDeleted() + " deleted; "
                + r.missingClients().size() + " missing (password unknown)"
                + (r.missingClients().isEmpty() ? "" : ": " + String.join(", ", r.missingClients().subList(0, Math.min(20, r.missingClients().size())))));
    }

    private static String format(Map<String, Long> m) {
        if (m.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }
}
