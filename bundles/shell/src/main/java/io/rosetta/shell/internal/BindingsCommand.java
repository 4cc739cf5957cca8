package io.rosetta.shell.internal;

import io.rosetta.core.binding.BindingStatistics;
import io.rosetta.core.binding.BindingStats;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code rosetta:bindings}: the bindings the core knows, their devices and counters. */
@Service
@Command(scope = "rosetta", name = "bindings", description = "Lists the bindings with their devices and report counters")
public class BindingsCommand implements Action {

    @Reference
    BindingStatistics statistics;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        table(statistics.bindingStats()).print(out);
        return null;
    }

    static ShellTable table(List<BindingStats> stats) {
        ShellTable table = new ShellTable().emptyTableText("No bindings are installed and no devices attached.");
        table.column("Binding");
        table.column("State");
        table.column("Devices").alignRight();
        table.column("Running").alignRight();
        table.column("Reports").alignRight();
        table.column("Refused").alignRight();
        table.column("Desired").alignRight();
        table.column("Refused by reason");
        for (BindingStats s : stats) {
            table.addRow().addContent(s.bindingId(), s.available() ? "installed" : "missing", s.devices(), s.handlers(), s.reports(),
                    s.refused(), s.desiredForwarded(), reasons(s.refusedByReason()));
        }
        return table;
    }

    static String reasons(Map<String, Long> byReason) {
        return byReason.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
