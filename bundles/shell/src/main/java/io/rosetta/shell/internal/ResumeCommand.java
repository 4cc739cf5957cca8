package io.rosetta.shell.internal;

import io.rosetta.core.model.LifecycleState;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rosetta:resume <deviceId> [--reason <text>]}: a suspended (or not yet seen) device becomes ACTIVE. */
@Service
@Command(scope = "rosetta", name = "resume", description = "Resumes a device: a suspended (or not yet seen) device becomes ACTIVE")
public class ResumeCommand extends DeviceLifecycle {

    public ResumeCommand() {
        super(LifecycleState.ACTIVE, "resume");
    }
}
