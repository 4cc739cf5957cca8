package io.rosetta.shell.internal;

import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.ShellUtil;

/** What {@code rosetta:approve} and {@code rosetta:reject} share: ids, the deciding user, the output. */
final class InboxDecision {

    /** Who decides when the shell has no logged-in user (a local console without JAAS). */
    static final String SHELL = "shell";

    private InboxDecision() {
    }

    static ThingId thingId(String text) throws CommandException {
        try {
            return ThingId.of(text);
        } catch (InvalidIdException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** The user of the shell session (Karaf's JAAS subject), as the inbox records who decided. */
    static String user() {
        try {
            String name = ShellUtil.getCurrentUserName();
            return name == null || name.isBlank() ? SHELL : name;
        } catch (RuntimeException | LinkageError e) {
            return SHELL;
        }
    }

    /** Applies a decision to each id; every id is tried, the first failure is reported after the others. */
    static void decide(List<String> ids, boolean approve, Inbox inbox, boolean json, PrintStream out) throws CommandException {
        List<JsonValue> decided = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String who = user();
        for (String text : ids) {
            try {
                ThingId id = thingId(text);
                InboxEntry e = approve ? inbox.approve(id, who) : inbox.reject(id, who);
                decided.add(e.toJson());
                if (!json) {
                    out.println((approve ? "Approved " : "Rejected ") + id + (approve ? ": its twin follows " + e.model() + "." : ": its messages are dropped "
                            + "until the entry is removed (rosetta:inbox --remove " + id + ")."));
                }
            } catch (TwinException e) {
                failures.add(text + ": " + e.getMessage());
            } catch (CommandException e) {
                failures.add(e.getMessage());
            }
        }
        if (json) {
            out.println(Json.writePretty(JsonArray.of(decided)));
        }
        if (!failures.isEmpty()) {
            throw new CommandException(String.join("\n", failures));
        }
    }
}
