package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.ConfigurationStatus;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code rosetta:device <id>}: one device, its credentials (public parts), configuration state and latest audit records. */
@Service
@Command(scope = "rosetta", name = "device", description = "Shows one registered device: twin, state, credentials, configuration, history")
public class DeviceCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device's id", required = true)
    @Completion(DeviceIdCompleter.class)
    String deviceId;

    @Option(name = "--json", description = "Print the device as JSON for scripts")
    boolean json;

    @Reference
    DeviceRegistry registry;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        Device d = registry.device(deviceId).orElseThrow(() -> new CommandException("No device with the id '" + deviceId + "'."));
        if (json) {
            out.println(Json.writePretty(d.toJson()));
            return null;
        }
        Credentials c = d.credentials();
        ConfigurationStatus config = registry.configuration(deviceId);
        ShellTable table = new ShellTable().noHeaders();
        table.column("Field");
        table.column("Value").maxSize(100);
        table.addRow().addContent("Device", d.deviceId());
        table.addRow().addContent("Thing", d.thingId());
        table.addRow().addContent("Model", d.modelId());
        table.addRow().addContent("Binding", d.binding() == null ? "-" : d.binding());
        table.addRow().addContent("State", d.state());
        table.addRow().addContent("MQTT", c.hasMqtt() ? "username " + c.mqttUsername() + ", password set (Argon2id)" : "-");
        table.addRow().addContent("DTLS PSK", c.hasPsk() ? "identity " + c.pskIdentity() + ", key set (sealed)" : "-");
        table.addRow().addContent("X.509", c.hasCertificate() ? c.x509Sha256() : "-");
        table.addRow().addContent("Credentials", "version " + c.version());
        table.addRow().addContent("Configuration", config.desired().isEmpty() ? "-"
                : Json.write(config.desired()) + (config.inSync() ? " (applied)" : " (" + config.pending().size() + " pending)"));
        table.addRow().addContent("Created", DeviceShell.time(d.created()));
        table.addRow().addContent("Updated", DeviceShell.time(d.updated()));
        table.print(out);
        out.println();
        out.println("Latest changes:");
        DeviceShell.audit(registry.audit(AuditQuery.of(deviceId, 5))).print(out);
        return null;
    }
}
