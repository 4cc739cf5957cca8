package io.rosetta.devices.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.ImportFormat;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleet imports from CSV and JSON: the per-row report, all-or-nothing, dry runs, malformed files, and a 10 k fleet. */
class ImportTest {

    private static final String HEADER = "deviceId,thingId,binding,model,mqttUsername,mqttPassword,pskIdentity,pskKey,x509Sha256,config.interval\n";

    @TempDir
    Path dir;
    private Fixture f;
    private final List<DeviceEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        f = new Fixture(dir);
        f.registry.addListener(events::add);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private ImportReport csv(String text, ImportOptions options) {
        return f.registry.importDevices(ImportFormat.CSV, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), options,
                (done, total, rejected) -> progress.add(new int[] {done, total, rejected}), "admin");
    }

    private ImportReport json(String text) {
        return f.registry.importDevices(ImportFormat.JSON, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                ImportOptions.defaults(), (done, total, rejected) -> progress.add(new int[] {done, total, rejected}), "admin");
    }

    private final List<int[]> progress = new ArrayList<>();

    private static String key(int i) {
        return "hex:" + HexFormat.of().formatHex(String.format("key-%012d", i).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void tenThousandDevicesImportWithTheirTwinsAndCredentials() {
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i < 10_000; i++) {
            String id = String.format("th-%05d", i);
            // a hundred of them with a password (hashed with Argon2id), all with a PSK
            file.append(id).append(",fleet:").append(id).append(",coap,").append(Fixture.SENSOR).append(',')
                    .append(i % 100 == 0 ? id + ",password-" + i : ",").append(',').append(id).append(',').append(key(i)).append(",,")
                    .append(i % 2 == 0 ? "30" : "").append('\n');
        }
        int twins = f.twins.size();

        ImportReport report = csv(file.toString(), ImportOptions.defaults());

        assertThat(report.errors()).isEmpty();
        assertThat(report.rows()).isEqualTo(10_000);
        assertThat(report.imported()).isEqualTo(10_000);
        assertThat(f.registry.devices()).hasSize(10_000);
        assertThat(f.twins.size()).isEqualTo(twins + 10_000);
        Device d = f.registry.device("th-00042").orElseThrow();
        assertThat(d.thingId()).isEqualTo(ThingId.of("fleet:th-00042"));
        assertThat(d.binding()).isEqualTo("coap");
        assertThat(d.configuration().toString()).isEqualTo("{\"interval\":30}");
        assertThat(f.registry.pskKey("th-09999")).hasValueSatisfying(k -> assertThat(new String(k, StandardCharsets.US_ASCII))
                .isEqualTo("key-000000009999"));
        assertThat(f.registry.authenticateMqtt("th-00100", "password-100".getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
        Thing t = f.twins.retrieve(ThingId.of("fleet:th-00042")).orElseThrow();
        assertThat(t.lifecycle()).isEqualTo(LifecycleState.PROVISIONED);
        assertThat(t.feature("configuration").orElseThrow().desiredProperties().toString()).isEqualTo("{\"interval\":30}");
        assertThat(events).hasSize(10_000);
        assertThat(events.stream().filter(e -> e.newMqttPassword() != null)).hasSize(100);
        assertThat(progress.get(0)).containsExactly(0, 10_000, 0);
        assertThat(progress.get(progress.size() - 1)).containsExactly(10_000, 10_000, 0);
        assertThat(f.registry.audit(AuditQuery.of("th-00042", 5))).singleElement()
                .satisfies(a -> assertThat(a.detail()).contains("import row 44"));
        assertThat(f.registry.stats().importedRows()).isEqualTo(10_000);
    }

    @Test
    void everyRejectedRowIsReportedAndLeavesNothingBehind() {
        f.registry.provision(DeviceSpec.newBuilder("existing").model(Fixture.SENSOR).mqtt("taken-user", "password-1").build(), "admin", null);
        int twins = f.twins.size();
        String file = HEADER
                + "ok-1,,mqtt," + Fixture.SENSOR + ",user-1,password-1,,,,\n"
                + "existing,,mqtt," + Fixture.SENSOR + ",,,,,,\n"
                + "ok-1,,mqtt," + Fixture.SENSOR + ",,,,,,\n"
                + "bad-model,,mqtt,rosetta:unknown:9,,,,,,\n"
                + "short-pw,,mqtt," + Fixture.SENSOR + ",user-2,short,,,,\n"
                + "dup-user,,mqtt," + Fixture.SENSOR + ",user-1,password-2,,,,\n"
                + "taken,,mqtt," + Fixture.SENSOR + ",taken-user,password-3,,,,\n"
                + "bad-key,,coap," + Fixture.SENSOR + ",,,psk-1,hex:xyz,,\n"
                + "bad-cert,,coap," + Fixture.SENSOR + ",,,,,12:34,\n"
                + "\"quoted,comma\",,mqtt," + Fixture.SENSOR + ",,,,,,\n"
                + "few-cells,mqtt\n"
                + "ok-2,,coap," + Fixture.SENSOR + ",,,psk-2," + key(2) + ",,\n";

        ImportReport report = csv(file, ImportOptions.defaults());

        assertThat(report.rows()).isEqualTo(12);
        assertThat(report.imported()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(10);
        assertThat(report.errors()).extracting(e -> e.row() + " " + e.deviceId() + " " + e.error()).containsExactly(
                "3 existing devices:device.conflict",
                "4 ok-1 devices:device.conflict",
                "5 bad-model devices:model.unknown",
                "6 short-pw devices:credentials.invalid",
                "7 dup-user devices:credentials.duplicate",
                "8 taken devices:credentials.duplicate",
                "9 bad-key devices:credentials.invalid",
                "10 bad-cert devices:credentials.invalid",
                "11 quoted,comma devices:device.invalid",
                "12 few-cells devices:import.invalid");
        assertThat(report.errors().get(1).message()).isEqualTo("Duplicate in the file: the device id 'ok-1' is also on row 2.");
        assertThat(report.errors().get(4).message()).contains("MQTT username 'user-1'", "row 2");
        assertThat(report.errors().get(5).message()).contains("belongs to the device 'existing'");
        assertThat(report.errors()).allSatisfy(e -> assertThat(e.message()).doesNotContain("\n"));
        assertThat(f.registry.devices()).extracting(Device::deviceId).containsExactlyInAnyOrder("existing", "ok-1", "ok-2");
        assertThat(f.twins.size()).isEqualTo(twins + 2);
        assertThat(f.registry.byPskIdentity("psk-1")).isEmpty();
        assertThat(f.registry.byMqttUsername("user-2")).isEmpty();
        assertThat(f.registry.stats().rejectedRows()).isEqualTo(10);
        assertThat(progress.get(progress.size() - 1)).containsExactly(12, 12, 10);
    }

    @Test
    void atomicImportsNothingWhenARowIsRejectedAndDryRunsChangeNothing() {
        String file = HEADER
                + "a-1,,mqtt," + Fixture.SENSOR + ",,,,,,\n"
                + "a-2,,mqtt,rosetta:unknown:9,,,,,,\n"
                + "a-3,,mqtt," + Fixture.SENSOR + ",,,,,,\n";
        int twins = f.twins.size();

        ImportReport atomic = csv(file, ImportOptions.defaults().withAtomic(true));
        assertThat(atomic.imported()).isZero();
        assertThat(atomic.valid()).isEqualTo(2);
        assertThat(atomic.rejected()).isEqualTo(1);
        ImportReport dry = csv(file.replace("rosetta:unknown:9", Fixture.SENSOR), ImportOptions.defaults().withDryRun(true));
        assertThat(dry.imported()).isZero();
        assertThat(dry.valid()).isEqualTo(3);
        assertThat(dry.dryRun()).isTrue();

        assertThat(f.registry.devices()).isEmpty();
        assertThat(f.twins.size()).isEqualTo(twins);
        assertThat(events).isEmpty();
        assertThat(f.registry.audit(AuditQuery.of(null, 10))).isEmpty();

        ImportReport all = csv(file.replace("rosetta:unknown:9", Fixture.SENSOR), ImportOptions.defaults().withAtomic(true));
        assertThat(all.imported()).isEqualTo(3);
        assertThat(f.registry.devices()).hasSize(3);
    }

    @Test
    void importsARowOnlyInANamespaceTheCallerMayAdminister() {
        String file = HEADER + "a,acme:a,,"+ Fixture.SENSOR + ",,,,,,\nb,other:b,," + Fixture.SENSOR + ",,,,,,\n";
        ImportReport r = csv(file, ImportOptions.defaults().withAllowed(id -> id.namespace().equals("acme")));
        assertThat(r.imported()).isEqualTo(1);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.error()).isEqualTo(DeviceException.IMPORT_FORBIDDEN));
        assertThat(f.twins.retrieve(ThingId.of("other:b"))).isEmpty();
    }

    @Test
    void aMalformedFileIsRefusedWithItsLineAndChangesNothing() {
        assertFileRefused(() -> csv(HEADER + "a,,mqtt," + Fixture.SENSOR + ",,,,,,\nb,\"unclosed,mqtt\n", ImportOptions.defaults()), "malformed");
        assertFileRefused(() -> csv(HEADER + "c,,mqtt,\"x\"y,,,,,,\n", ImportOptions.defaults()), "line: 2");
        assertFileRefused(() -> csv("deviceId,modle\na,b\n", ImportOptions.defaults()), "unknown CSV column 'modle'");
        assertFileRefused(() -> csv("model\n" + Fixture.SENSOR + "\n", ImportOptions.defaults()), "no deviceId column");
        assertFileRefused(() -> csv("", ImportOptions.defaults()), "empty");
        assertFileRefused(() -> csv("deviceId,deviceId\na,b\n", ImportOptions.defaults()), "header");
        assertFileRefused(() -> json("[{\"deviceId\":\"a\",\"model\":\"" + Fixture.SENSOR + "\"},\n{\"deviceId\":"), "malformed");
        assertFileRefused(() -> json("[{\"deviceId\":\"a\"}\n  {\"deviceId\":\"b\"}]"), "line 2");
        assertFileRefused(() -> json("{\"items\":[]}"), "array of devices");
        assertFileRefused(() -> json("42"), "array of devices");
        byte[] latin1 = (HEADER + "caf\u00e9,,mqtt," + Fixture.SENSOR + ",,,,,,\n").getBytes(StandardCharsets.ISO_8859_1);
        assertFileRefused(() -> f.registry.importDevices(ImportFormat.CSV, new ByteArrayInputStream(latin1), ImportOptions.defaults(),
                (a, b, c) -> { }, "admin"), "UTF-8");

        assertThat(f.registry.devices()).isEmpty();
        assertThat(f.registry.stats().refused()).containsEntry(DeviceException.IMPORT_INVALID, 11L);
    }

    private void assertFileRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DeviceException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo(DeviceException.IMPORT_INVALID);
            assertThat(e.getMessage()).contains(text).endsWith("Nothing was imported.").doesNotContain("\n");
        });
    }

    @Test
    void jsonRowsWithTheSameFieldsAndTheirOwnErrors() {
        ImportReport r = json("{\"devices\":[" + "{\"deviceId\":\"j-1\",\"model\":\"" + Fixture.SENSOR
                + "\",\"mqttUsername\":\"j-1\",\"mqttPassword\":\"password-j1\",\"configuration\":{\"interval\":10,\"mode\":\"eco\"}},"
                + "{\"deviceId\":\"j-2\",\"model\":\"" + Fixture.SENSOR + "\",\"pskIdentity\":\"j-2\",\"pskKey\":\"base64:"
                + java.util.Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII)) + "\"},"
                + "\"not an object\","
                + "{\"deviceId\":7,\"model\":\"" + Fixture.SENSOR + "\"},"
                + "{\"deviceId\":\"j-5\",\"model\":\"" + Fixture.SENSOR + "\",\"mqttPasword\":\"typo\"},"
                + "{\"deviceId\":\"j-6\",\"model\":\"" + Fixture.SENSOR + "\",\"configuration\":[1]}"
                + "]}");

        assertThat(r.imported()).isEqualTo(2);
        assertThat(r.errors()).extracting(e -> e.row() + ": " + e.message()).containsExactly(
                "3: a device must be a JSON object, not string",
                "4: deviceId must be a string, not integer",
                "5: unknown field 'mqttPasword' (fields: " + ImportParser.COLUMNS_TEXT + ")",
                "6: configuration must be a JSON object, not array");
        assertThat(f.registry.device("j-1").orElseThrow().configuration().toString()).isEqualTo("{\"interval\":10,\"mode\":\"eco\"}");
        assertThat(f.registry.pskKey("j-2")).hasValueSatisfying(k -> assertThat(new String(k, StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdef"));
    }

    @Test
    void csvCommentsBlankLinesQuotedCellsAndConfigurationCells() {
        String file = "# fleet of 2026-11\n" + "DeviceId, Model, config.interval, config.mode, config.limits, configuration\n\n"
                + "c-1, " + Fixture.SENSOR + ", 15, \"eco, quiet\", \"{\"\"max\"\":3}\", \"{\"\"extra\"\":true}\"\n"
                + "c-2, " + Fixture.SENSOR + ", 007, , ,\n";

        ImportReport r = csv(file, ImportOptions.defaults());

        assertThat(r.errors()).isEmpty();
        assertThat(f.registry.device("c-1").orElseThrow().configuration().toString())
                .isEqualTo("{\"extra\":true,\"interval\":15,\"mode\":\"eco, quiet\",\"limits\":{\"max\":3}}");
        assertThat(f.registry.device("c-2").orElseThrow().configuration().toString()).isEqualTo("{\"interval\":\"007\"}");
    }
}
