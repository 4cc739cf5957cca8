package io.rosetta.shell.internal;

import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;

/**
 * The lifecycle commands ({@code suspend}, {@code resume}, {@code decommission}): their arguments,
 * and moving one device with the outcome in one line. Karaf reads the annotated fields of this class
 * for each subclass.
 */
abstract class DeviceLifecycle implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device's id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "options", description = "--reason <text>, also accepted after the device id", multiValued = true)
    List<String> trailing;

    @Option(name = "--reason", aliases = "-r", description = "Why (recorded in the audit trail)")
    String reason;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;

    private final LifecycleState target;
    private final String command;

    DeviceLifecycle(LifecycleState target, String command) {
        this.target = target;
        this.command = command;
    }

    @Override
    public Object execute() throws CommandException {
        Map<String, String> t = DeviceShell.trailing(trailing, Set.of("--reason", "-r"), Set.of(),
                "rosetta:" + command + " <deviceId> [--reason <text>]");
        String why = t.getOrDefault("--reason", t.getOrDefault("-r", reason));
        Device before = registry.device(deviceId).orElseThrow(() -> new CommandException("No device with the id '" + deviceId + "'."));
        Device after;
        try {
            after = registry.transition(deviceId, target, DeviceShell.actor(), why);
        } catch (TwinException e) {
            throw DeviceShell.failure(e);
        }
        if (before.state() == after.state()) {
            out.println("Device " + deviceId + " is already " + after.state() + "; nothing changed.");
            return null;
        }
        String what = switch (target) {
            case SUSPENDED -> ": its credentials stop working and its data is refused.";
            case ACTIVE -> ": its credentials work again.";
            case DECOMMISSIONED -> ": its credentials are revoked, its twin " + after.thingId() + " is kept read-only, its id is never used again.";
            default -> ".";
        };
        out.println("Device " + deviceId + " " + before.state() + " -> " + after.state() + what);
        return null;
    }
}
