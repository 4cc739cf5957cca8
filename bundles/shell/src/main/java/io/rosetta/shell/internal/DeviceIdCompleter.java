package io.rosetta.shell.internal;

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

/** Completes device ids from the registry; at most {@value ThingIdCompleter#MAX_CANDIDATES} of those that start with what was typed. */
@Service
public class DeviceIdCompleter implements Completer {

    @Reference
    DeviceRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String typed = ThingIdCompleter.typed(commandLine);
        TreeSet<String> ids = new TreeSet<>();
        for (Device d : registry.devices()) {
            if (d.deviceId().startsWith(typed)) {
                ids.add(d.deviceId());
                if (ids.size() > ThingIdCompleter.MAX_CANDIDATES) {
                    ids.pollLast();
                }
            }
        }
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
