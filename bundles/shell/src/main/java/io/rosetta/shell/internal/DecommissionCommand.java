package io.rosetta.shell.internal;

import io.rosetta.core.model.LifecycleState;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code rosetta:decommission <deviceId> [--reason <text>]}: its credentials are revoked for good, its twin is kept read-only, its id cannot be used again. */
@Service
@Command(scope = "rosetta", name = "decommission", description = "Decommissions a device: its credentials are revoked for good, its twin is kept read-only, its id cannot be used again")
public class DecommissionCommand extends DeviceLifecycle {

    public DecommissionCommand() {
        super(LifecycleState.DECOMMISSIONED, "decommission");
    }
}
