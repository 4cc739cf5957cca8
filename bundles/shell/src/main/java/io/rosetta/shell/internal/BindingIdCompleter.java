package io.rosetta.shell.internal;

import io.rosetta.core.binding.DeviceManager;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.util.List;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes binding ids: the bindings installed now and those registered devices name. */
@Service
public class BindingIdCompleter implements Completer {

    @Reference(optional = true)
    DeviceManager manager;

    @Reference
    DeviceRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> ids = new TreeSet<>();
        if (manager != null) {
            ids.addAll(manager.bindings());
        }
        for (Device d : registry.devices()) {
            if (d.binding() != null) {
                ids.add(d.binding());
            }
        }
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
