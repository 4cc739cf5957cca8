package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device commands against a real device registry (on real twins and the shipped models), as an administrator types them. */
class DeviceCommandsTest {

    private static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final ModelRegistry MODELS = ClassPathModels.registry(DeviceCommandsTest.class.getClassLoader());

    @TempDir
    Path dir;
    private TwinRegistryImpl twins;
    private DeviceRegistryImpl registry;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        twins = TwinRegistryImpl.inMemory();
        registry = DeviceRegistryImpl.open(twins, MODELS, new ModelTwinTemplates(MODELS), dir.resolve("devices"),
                Map.of("kdf.memory.kib", "256", "kdf.iterations", "1"));
    }

    @AfterEach
    void tearDown() {
        registry.close();
        twins.close();
    }

    private String output() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    private ProvisionCommand provision(String id, String... trailing) {
        ProvisionCommand c = new ProvisionCommand();
        c.registry = registry;
        c.out = out;
        c.deviceId = id;
        c.trailing = trailing.length == 0 ? null : List.of(trailing);
        return c;
    }

    @Test
    void provisionOneDeviceWithOptionsAfterTheIdAndGeneratedSecrets() throws Exception {
        provision("th-1", "--model", SENSOR, "--thing", "acme:th-1", "--binding", "mqtt", "--generate-password", "--generate-psk",
                "--config", "interval=30", "--config", "mode=eco", "--reason", "pilot").execute();

        String text = output();
        assertThat(text).contains("Provisioned th-1 as acme:th-1 (" + SENSOR + "), state PROVISIONED.");
        String password = text.replaceAll("(?s).*password \\(shown only now\\): (\\S+).*", "$1");
        String key = text.replaceAll("(?s).*key \\(shown only now\\): (\\S+).*", "$1");
        assertThat(password).hasSize(24);
        assertThat(key).startsWith("hex:").hasSize(4 + 32);
        assertThat(registry.authenticateMqtt("th-1", password.getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
        assertThat(registry.pskKey("th-1")).hasValueSatisfying(k -> assertThat(java.util.HexFormat.of().formatHex(k)).isEqualTo(key.substring(4)));
        assertThat(registry.device("th-1").orElseThrow().configuration()).isEqualTo(Json.parse("{\"interval\":30,\"mode\":\"eco\"}"));
        assertThat(registry.audit(io.rosetta.devices.AuditQuery.of("th-1", 1)).get(0).reason()).isEqualTo("pilot");
    }

    @Test
    void badInputIsOneLineAndAFailure() {
        assertThatThrownBy(() -> provision("th-1").execute()).isInstanceOf(CommandException.class).hasMessageContaining("--model");
        assertThatThrownBy(() -> provision("th-1", "--model", "rosetta:nope:1").execute()).isInstanceOf(CommandException.class)
                .hasMessage("model: no model 'rosetta:nope:1' is known (GET /api/2/models lists them).");
        assertThatThrownBy(() -> provision("th-1", "--model", SENSOR, "--colour", "red").execute())
                .isInstanceOf(CommandException.class).hasMessageStartingWith("Unexpected '--colour'");
        assertThatThrownBy(() -> provision("th-1", "--model", SENSOR, "--mqtt-password", "short").execute())
                .isInstanceOf(CommandException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> provision("th-1", "--model", SENSOR, "--config", "novalue").execute())
                .isInstanceOf(CommandException.class).hasMessageContaining("is not key=value");
        assertThat(registry.devices()).isEmpty();
    }

    @Test
    void importAFileWithProgressAndAReportAndFailWhenRowsAreRejected() throws Exception {
        Path csv = dir.resolve("fleet.csv");
        StringBuilder text = new StringBuilder("deviceId,model,pskIdentity,pskKey\n");
        for (int i = 0; i < 50; i++) {
            text.append("f-").append(i).append(',').append(SENSOR).append(",f-").append(i).append(",hex:").append("00".repeat(15))
                    .append(String.format("%02x", i)).append('\n');
        }
        Files.writeString(csv, text);
        ProvisionCommand ok = provision(null);
        ok.file = csv.toString();
        ok.execute();
        assertThat(output()).contains("Imported 50 of 50 devices, 0 rows rejected");
        assertThat(registry.devices()).hasSize(50);

        Files.writeString(csv, "deviceId,model\nf-0," + SENSOR + "\ng-1,rosetta:nope:1\ng-2," + SENSOR + "\n");
        ProvisionCommand bad = provision(null, "--file", csv.toString());
        assertThatThrownBy(bad::execute).isInstanceOf(CommandException.class)
                .hasMessage("2 of 3 rows rejected; 1 devices imported.");
        String report = output();
        assertThat(report).contains("devices:device.conflict", "devices:model.unknown", "g-1").contains("Imported 1 of 3 devices");

        Files.writeString(csv, "deviceId,model\n\"unclosed," + SENSOR + "\n");
        ProvisionCommand malformed = provision(null, "--file", csv.toString());
        assertThatThrownBy(malformed::execute).isInstanceOf(CommandException.class).hasMessageContaining("malformed")
                .hasMessageContaining("Nothing was imported.");

        ProvisionCommand missing = provision(null, "--file", dir.resolve("nope.json").toString());
        assertThatThrownBy(missing::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("No file");
        ProvisionCommand unknown = provision(null, "--file", "fleet.xlsx");
        assertThatThrownBy(unknown::execute).isInstanceOf(CommandException.class).hasMessageContaining("*.csv or *.json");

        Path json = dir.resolve("fleet.json");
        Files.writeString(json, "[{\"deviceId\":\"j-1\",\"model\":\"" + SENSOR + "\"}]");
        ProvisionCommand dry = provision(null, "--file", json.toString(), "--dry-run", "--json");
        dry.execute();
        assertThat(Json.parseObject(output()).getOrNull("valid")).isEqualTo(io.rosetta.core.json.JsonValue.of(1));
        assertThat(registry.device("j-1")).isEmpty();
    }

    @Test
    void devicesAndDeviceShowTablesAndJson() throws Exception {
        provision("a-1", "--model", SENSOR, "--thing", "acme:a-1", "--mqtt-password", "password-1").execute();
        provision("b-1", "--model", SENSOR, "--binding", "coap").execute();
        output();

        DevicesCommand list = new DevicesCommand();
        list.registry = registry;
        list.out = out;
        list.execute();
        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).contains("Device ID", "Thing ID", "Binding", "Model", "State", "Credentials", "Updated");
        assertThat(lines.get(2)).startsWith("a-1").contains("acme:a-1", "PROVISIONED", "mqtt:a-1");
        assertThat(lines.get(3)).startsWith("b-1").contains("device:b-1", "coap");

        list.binding = "coap";
        list.json = true;
        list.execute();
        assertThat(Json.parse(output()).asArray().size()).isEqualTo(1);

        list.binding = null;
        list.json = false;
        list.state = "asleep";
        assertThatThrownBy(list::execute).isInstanceOf(CommandException.class).hasMessageContaining("Unknown state 'asleep'");

        DeviceCommand one = new DeviceCommand();
        one.registry = registry;
        one.out = out;
        one.deviceId = "a-1";
        one.execute();
        String shown = output();
        assertThat(shown).contains("acme:a-1", "username a-1, password set (Argon2id)", "Latest changes:", "PROVISIONED")
                .doesNotContain("argon2id$");
        one.json = true;
        one.execute();
        assertThat(Json.parseObject(output()).getOrNull("deviceId")).isEqualTo(io.rosetta.core.json.JsonValue.of("a-1"));
        one.deviceId = "zz";
        assertThatThrownBy(one::execute).isInstanceOf(CommandException.class).hasMessage("No device with the id 'zz'.");
    }

    @Test
    void suspendResumeDecommissionWithReasonsAndAnIllegalResumeFails() throws Exception {
        provision("s-1", "--model", SENSOR, "--mqtt-password", "password-1").execute();
        output();

        SuspendCommand suspend = new SuspendCommand();
        suspend.registry = registry;
        suspend.out = out;
        suspend.deviceId = "s-1";
        suspend.trailing = List.of("--reason", "theft reported");
        suspend.execute();
        assertThat(output()).contains("Device s-1 PROVISIONED -> SUSPENDED: its credentials stop working");
        assertThat(twins.retrieve(ThingId.of("device:s-1")).orElseThrow().lifecycle()).isEqualTo(LifecycleState.SUSPENDED);
        suspend.execute();
        assertThat(output()).contains("already SUSPENDED; nothing changed");

        ResumeCommand resume = new ResumeCommand();
        resume.registry = registry;
        resume.out = out;
        resume.deviceId = "s-1";
        resume.reason = "found";
        resume.execute();
        assertThat(output()).contains("SUSPENDED -> ACTIVE");

        DecommissionCommand decommission = new DecommissionCommand();
        decommission.registry = registry;
        decommission.out = out;
        decommission.deviceId = "s-1";
        decommission.execute();
        assertThat(output()).contains("ACTIVE -> DECOMMISSIONED: its credentials are revoked");

        assertThatThrownBy(resume::execute).isInstanceOf(CommandException.class)
                .hasMessage("The device 's-1' cannot move from DECOMMISSIONED to ACTIVE.");
        resume.deviceId = "nobody";
        assertThatThrownBy(resume::execute).isInstanceOf(CommandException.class).hasMessage("No device with the id 'nobody'.");
        suspend.trailing = List.of("--why", "x");
        assertThatThrownBy(suspend::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Unexpected '--why'");

        DeviceAuditCommand audit = new DeviceAuditCommand();
        audit.registry = registry;
        audit.out = out;
        audit.deviceId = "s-1";
        audit.execute();
        String trail = output();
        assertThat(trail).contains("theft reported", "found", "PROVISIONED -> SUSPENDED", "credentials revoked");
        audit.trailing = List.of("--json", "--limit", "2");
        audit.execute();
        assertThat(Json.parse(output()).asArray().size()).isEqualTo(2);
        audit.trailing = List.of("--since", "1h");
        audit.execute();
        assertThat(output()).contains("DECOMMISSIONED");
        audit.trailing = List.of("--since", "last tuesday");
        assertThatThrownBy(audit::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Invalid --since");
    }

    @Test
    void configSetShowsPendingThenApplied() throws Exception {
        provision("c-1", "--model", SENSOR).execute();
        output();
        DeviceConfigCommand config = new DeviceConfigCommand();
        config.registry = registry;
        config.out = out;
        config.action = "set";
        config.deviceId = "c-1";
        config.values = new ArrayList<>(List.of("interval=30", "thresholds/high=28.5", "--reason", "summer"));
        config.execute();
        String shown = output();
        assertThat(shown).contains("/interval", "30", "PENDING", "/thresholds/high", "28.5", "2 pending");

        twins.report(ThingId.of("device:c-1"), JsonPointer.of("/features/configuration/properties"),
                Json.parse("{\"interval\":30,\"thresholds\":{\"high\":28.5}}"), System.currentTimeMillis());
        config.action = "get";
        config.values = List.of("--json");
        config.execute();
        assertThat(Json.parseObject(output()).getOrNull("pending")).isEqualTo(io.rosetta.core.json.JsonValue.of(0));
        config.values = null;
        config.json = false;
        config.execute();
        assertThat(output()).contains("APPLIED", "In sync");

        config.action = "set";
        config.values = List.of("interval=null");
        config.execute();
        assertThat(registry.device("c-1").orElseThrow().configuration()).isEqualTo(Json.parse("{\"thresholds\":{\"high\":28.5}}"));
        output();
        config.action = "frob";
        assertThatThrownBy(config::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Unknown action 'frob'");
        config.action = "set";
        config.deviceId = "nobody";
        config.values = List.of("a=1");
        assertThatThrownBy(config::execute).isInstanceOf(CommandException.class).hasMessage("No device with the id 'nobody'.");
        assertThat(registry.audit(io.rosetta.devices.AuditQuery.of("c-1", 10)).get(1).reason()).isEqualTo("summer");
    }
}
