package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinRegistry;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/** {@code rosetta:thing <id>}: one twin as pretty JSON, with its special fields. */
@Service
@Command(scope = "rosetta", name = "thing", description = "Shows one digital twin as JSON, with revision, status and times")
public class ThingCommand implements Action {

    @Argument(index = 0, name = "thingId", description = "The thing's id, namespace:name", required = true)
    @Completion(ThingIdCompleter.class)
    String thingId;

    @Reference
    TwinRegistry registry;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        ThingId id;
        try {
            id = ThingId.of(thingId);
        } catch (InvalidIdException e) {
            throw new CommandException(e.getMessage());
        }
        Thing thing = registry.retrieve(id).orElseThrow(() -> new CommandException("No thing with the id '" + id + "'."));
        out.println(Json.writePretty(thing.toJsonWithSpecialFields()));
        return null;
    }
}
