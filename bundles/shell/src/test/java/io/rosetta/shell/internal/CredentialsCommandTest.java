package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rosetta:credentials against the real device registry: each kind replaced, generated, removed; bad input changes nothing. */
class CredentialsCommandTest {

    private static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final ModelRegistry MODELS = ClassPathModels.registry(CredentialsCommandTest.class.getClassLoader());
    private static final String CERT = "ab".repeat(32);

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
        registry.provision(DeviceSpec.newBuilder("c-1").model(SENSOR).mqtt("c-1", "password-1").build(), "test", null);
        registry.provision(DeviceSpec.newBuilder("c-2").model(SENSOR).psk("c-2", "hex:" + "11".repeat(16)).build(), "test", null);
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

    private CredentialsCommand credentials(String id, String... trailing) {
        CredentialsCommand c = new CredentialsCommand();
        c.registry = registry;
        c.out = out;
        c.deviceId = id;
        c.trailing = trailing.length == 0 ? null : List.of(trailing);
        return c;
    }

    private boolean mqttAccepts(String user, String password) {
        return registry.authenticateMqtt(user, password.getBytes(StandardCharsets.UTF_8)).accepted();
    }

    private Credentials credentialsOf(String id) {
        return registry.device(id).orElseThrow().credentials();
    }

    @Test
    void generatedPasswordAndKeyArePrintedOnceAndWork() throws Exception {
        credentials("c-1", "--generate", "--generate-psk", "--reason", "rotation").execute();

        String text = output();
        assertThat(text).startsWith("Credentials of c-1 changed (version 2): MQTT password, PSK identity, PSK key. Now: mqtt:c-1 psk:c-1.");
        String password = text.replaceAll("(?s).*MQTT username: c-1  password \\(shown only now\\): (\\S+).*", "$1");
        String key = text.replaceAll("(?s).*PSK identity: c-1  key \\(shown only now\\): (\\S+).*", "$1");
        assertThat(password).hasSize(24);
        assertThat(key).startsWith("hex:").hasSize(4 + 32);
        assertThat(mqttAccepts("c-1", password)).isTrue();
        assertThat(mqttAccepts("c-1", "password-1")).isFalse();
        assertThat(registry.pskKey("c-1")).hasValueSatisfying(k -> assertThat(HexFormat.of().formatHex(k)).isEqualTo(key.substring(4)));
        AuditEntry last = registry.audit(AuditQuery.of("c-1", 1)).get(0);
        assertThat(last.action()).isEqualTo(AuditEntry.Action.CREDENTIALS_CHANGED);
        assertThat(last.reason()).isEqualTo("rotation");
        assertThat(last.detail()).doesNotContain(password, key.substring(4));
    }

    @Test
    void givenSecretsReplaceOneKindAndKeepTheOthers() throws Exception {
        CredentialsCommand c = credentials("c-1");
        c.mqttPassword = "password-2";
        c.x509 = CERT;
        c.reason = "new certificate";
        c.execute();
        assertThat(output()).contains("(version 2): MQTT password, X.509 fingerprint. Now: mqtt:c-1 x509:abababababab..");
        assertThat(mqttAccepts("c-1", "password-2")).isTrue();
        assertThat(registry.byCertificate(CERT)).isPresent();

        credentials("c-1", "--mqtt-username", "c-1-new", "-r", "rename").execute();
        assertThat(output()).contains("MQTT username. Now: mqtt:c-1-new");
        assertThat(mqttAccepts("c-1-new", "password-2")).isTrue();
        assertThat(mqttAccepts("c-1", "password-2")).isFalse();

        credentials("c-2", "--psk-key", "hex:" + "22".repeat(16), "--reason", "rekey").execute();
        assertThat(credentialsOf("c-2").pskIdentity()).isEqualTo("c-2");
        assertThat(registry.pskKey("c-2")).hasValueSatisfying(k -> assertThat(HexFormat.of().formatHex(k)).isEqualTo("22".repeat(16)));
    }

    @Test
    void removalsAndJsonForScripts() throws Exception {
        credentials("c-1", "--x509", CERT, "--reason", "cert").execute();
        output();
        credentials("c-1", "--remove-mqtt", "--remove-x509", "--generate-psk", "--json", "--reason", "psk only").execute();

        JsonObject shown = Json.parseObject(output());
        assertThat(shown.getOrNull("deviceId")).isEqualTo(JsonValue.of("c-1"));
        assertThat(shown.getValue(JsonPointer.of("/generated/pskIdentity"))).contains(JsonValue.of("c-1"));
        String key = ((io.rosetta.core.json.JsonString) shown.getValue(JsonPointer.of("/generated/pskKey")).orElseThrow()).value();
        assertThat(registry.pskKey("c-1")).hasValueSatisfying(k -> assertThat("hex:" + HexFormat.of().formatHex(k)).isEqualTo(key));
        Credentials now = credentialsOf("c-1");
        assertThat(now.hasMqtt()).isFalse();
        assertThat(now.hasCertificate()).isFalse();
        assertThat(mqttAccepts("c-1", "password-1")).isFalse();
        assertThat(Json.write(shown)).doesNotContain("argon2id$");

        credentials("c-1", "--remove-psk", "--reason", "retired radio").execute();
        assertThat(output()).contains("PSK removed. Now: -.");
        assertThat(registry.pskKey("c-1")).isEmpty();
    }

    @Test
    void badInputIsOneLineAFailureAndChangesNothing() throws Exception {
        Credentials c1 = credentialsOf("c-1");
        Credentials c2 = credentialsOf("c-2");

        assertThatThrownBy(credentials("c-1", "--generate")::execute).isInstanceOf(CommandException.class)
                .hasMessage("Say why: --reason <text> (recorded in the audit trail).");
        assertThatThrownBy(credentials("nobody", "--generate", "--reason", "x")::execute).isInstanceOf(CommandException.class)
                .hasMessage("No device with the id 'nobody'.");
        assertThatThrownBy(credentials("c-1", "--generate", "--mqtt-password", "password-3", "--reason", "x")::execute)
                .isInstanceOf(CommandException.class).hasMessage("Give a secret or have one generated, not both.");
        assertThatThrownBy(credentials("c-1", "--remove-mqtt", "--mqtt-password", "password-3", "--reason", "x")::execute)
                .isInstanceOf(CommandException.class).hasMessageStartingWith("--remove-mqtt removes the MQTT credentials");
        assertThatThrownBy(credentials("c-1", "--remove-psk", "--generate-psk", "--reason", "x")::execute)
                .isInstanceOf(CommandException.class).hasMessageStartingWith("--remove-psk removes the pre-shared key");
        assertThatThrownBy(credentials("c-1", "--remove-x509", "--x509", CERT, "--reason", "x")::execute)
                .isInstanceOf(CommandException.class).hasMessageStartingWith("--remove-x509 removes");
        assertThatThrownBy(credentials("c-1", "--reason", "x")::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Nothing to change. Usage: rosetta:credentials <deviceId>");
        assertThatThrownBy(credentials("c-1", "--colour", "red", "--reason", "x")::execute).isInstanceOf(CommandException.class)
                .hasMessageStartingWith("Unexpected '--colour'");
        // refused by the registry: too short, a bad fingerprint, another device's PSK identity
        assertThatThrownBy(credentials("c-1", "--mqtt-password", "short", "--reason", "x")::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("too short").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(credentials("c-1", "--x509", "not-a-fingerprint", "--reason", "x")::execute).isInstanceOf(CommandException.class);
        assertThatThrownBy(credentials("c-1", "--psk-identity", "c-2", "--generate-psk", "--reason", "x")::execute)
                .isInstanceOf(CommandException.class).hasMessageContaining("c-2");

        assertThat(credentialsOf("c-1")).isEqualTo(c1);
        assertThat(credentialsOf("c-2")).isEqualTo(c2);
        assertThat(mqttAccepts("c-1", "password-1")).isTrue();
        assertThat(output()).isEmpty();

        registry.transition("c-2", LifecycleState.DECOMMISSIONED, "test", null);
        assertThatThrownBy(credentials("c-2", "--generate-psk", "--reason", "x")::execute).isInstanceOf(CommandException.class)
                .hasMessage("The device 'c-2' is decommissioned; its id cannot be used again.");
        assertThat(output()).isEmpty();
    }
}
