package io.rosetta.shell.internal;

import io.rosetta.security.AccessControl;
import io.rosetta.security.Grant;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code rosetta:grants}: the access policy of the API. */
@Service
@Command(scope = "rosetta", name = "grants", description = "Lists the access grants of users and tokens")
public class GrantsCommand implements Action {

    @Reference
    AccessControl access;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        table(access.grants()).print(out);
        return null;
    }

    static ShellTable table(List<Grant> grants) {
        ShellTable table = new ShellTable().emptyTableText(
                "No grants: only administrators (role " + AccessControl.ADMIN_ROLE + ") may use the API. Add one with rosetta:grant.");
        table.column("Subject");
        table.column("Namespace");
        table.column("Level");
        for (Grant g : grants) {
            table.addRow().addContent(g.subject(), g.namespace(), g.level());
        }
        table.addRow().addContent("(role " + AccessControl.ADMIN_ROLE + ")", "*", "ADMIN");
        return table;
    }
}
