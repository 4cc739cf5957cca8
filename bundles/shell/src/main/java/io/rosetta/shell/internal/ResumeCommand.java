package io.rosetta.shell.internal;

import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rosetta:resume <deviceId> [--reason <text>]}: a suspended (or not yet seen) device becomes ACTIVE. */
@Service
@Command(scope = "rosetta", name = "resume", description = "Resumes a device: a suspended (or not yet seen) device becomes ACTIVE")
public class ResumeCommand implements Action {

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

    @Override
    public Object execute() throws Exception {
        return DeviceLifecycle.move(registry, deviceId, trailing, reason, LifecycleState.ACTIVE, "resume", out);
    }
}
