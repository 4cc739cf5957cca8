package io.rosetta.shell.internal;

import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.karaf.shell.support.CommandException;

/** The lifecycle commands' common part: move one device, print the outcome in one line. */
final class DeviceLifecycle {

    private DeviceLifecycle() {
    }

    static Object move(DeviceRegistry registry, String deviceId, List<String> trailing, String reason, LifecycleState target,
                       String command, PrintStream out) throws CommandException {
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
