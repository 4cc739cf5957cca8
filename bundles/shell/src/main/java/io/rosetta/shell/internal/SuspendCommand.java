package io.rosetta.shell.internal;

import io.rosetta.core.model.LifecycleState;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rosetta:suspend <deviceId> [--reason <text>]}: its credentials stop working and its data is refused. */
@Service
@Command(scope = "rosetta", name = "suspend", description = "Suspends a device: its credentials stop working and its data is refused")
public class SuspendCommand extends DeviceLifecycle {

    public SuspendCommand() {
        super(LifecycleState.SUSPENDED, "suspend");
    }
}
