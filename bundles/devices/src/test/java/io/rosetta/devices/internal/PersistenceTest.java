package io.rosetta.devices.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.json.Json;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry survives restarts and crashes: snapshot, change log, audit trail and the sealed keys. */
class PersistenceTest {

    private static final String KEY = "hex:00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;
    @TempDir
    Path copy;

    private static void fill(DeviceRegistryImpl r) {
        for (int i = 0; i < 6; i++) {
            r.provision(DeviceSpec.newBuilder("d" + i).thingId("plant:d" + i).model(Fixture.SENSOR).mqtt("u" + i, "password-" + i)
                    .psk("p" + i, KEY).build(), "admin", "initial");
        }
        r.markContact("d1");
        r.markContact("d2");
        r.transition("d2", LifecycleState.SUSPENDED, "admin", "maintenance");
        r.transition("d3", LifecycleState.DECOMMISSIONED, "admin", "scrapped");
        r.updateCredentials("d4", CredentialsUpdate.newBuilder().mqtt(null, "password-rotated").build(), "admin", "rotation");
        r.configure("d5", Json.parseObject("{\"interval\":60}"), "admin", null);
    }

    private static List<Device> sorted(DeviceRegistryImpl r) {
        List<Device> all = new ArrayList<>(r.devices());
        all.sort(Comparator.comparing(Device::deviceId));
        return all;
    }

    @Test
    void everyDeviceAndTheAuditTrailSurviveARestart() {
        try (Fixture f = new Fixture(dir)) {
            fill(f.registry);
            List<Device> before = sorted(f.registry);
            List<AuditEntry> audit = f.registry.audit(AuditQuery.of(null, 1000));

            DeviceRegistryImpl again = f.restart();

            assertThat(sorted(again)).isEqualTo(before);
            assertThat(again.audit(AuditQuery.of(null, 1000))).isEqualTo(audit);
            assertThat(again.authenticateMqtt("u4", "password-rotated".getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
            assertThat(again.authenticateMqtt("u2", "password-2".getBytes(StandardCharsets.UTF_8)).accepted()).isFalse();
            assertThat(again.pskKey("p0")).isPresent();
            assertThat(again.byMqttUsername("u3")).isEmpty();
            // the next change continues the history
            again.transition("d2", LifecycleState.ACTIVE, "admin", "back");
            List<AuditEntry> after = again.audit(AuditQuery.of(null, 1000));
            assertThat(after.get(after.size() - 1).seq()).isEqualTo(audit.get(audit.size() - 1).seq() + 1);
        }
    }

    @Test
    void aCrashLosesNothingAndMissingTwinsAreMadeAgainInTheirState() throws IOException {
        List<Device> before;
        try (Fixture f = new Fixture(dir)) {
            fill(f.registry);
            before = sorted(f.registry);
            // a copy of the files while the registry runs: what a kill -9 leaves behind
            copyTree(dir, copy);
        }
        Files.deleteIfExists(copy.resolve("devices").resolve("devices.lock"));
        try (Fixture f = new Fixture(copy)) {
            assertThat(sorted(f.registry)).isEqualTo(before);
            // these twins were not in the new (empty) twin registry: made again from their models, in their states
            assertThat(f.twins.retrieve(ThingId.of("plant:d2")).orElseThrow().lifecycle()).isEqualTo(LifecycleState.SUSPENDED);
            assertThat(f.twins.retrieve(ThingId.of("plant:d1")).orElseThrow().lifecycle()).isEqualTo(LifecycleState.ACTIVE);
            assertThat(f.twins.retrieve(ThingId.of("plant:d5")).orElseThrow().feature("configuration").orElseThrow().desiredProperties())
                    .isEqualTo(Json.parse("{\"interval\":60}"));
            assertThat(f.twins.retrieve(ThingId.of("plant:d3"))).isEmpty();
            assertThat(f.registry.pskKey("p5")).isPresent();
        }
    }

    @Test
    void aTornLastLineIsCutOffButADamagedLineInTheMiddleStopsTheRegistry() throws IOException {
        try (Fixture f = new Fixture(dir)) {
            fill(f.registry);
        }
        Path log = dir.resolve("devices").resolve(DeviceStore.LOG);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSizeGreaterThan(5);

        Files.writeString(log, "0badc0de\t{\"s\":99,\"d\":{\"id\":\"half", StandardOpenOption.APPEND);
        try (Fixture f = new Fixture(dir)) {
            assertThat(f.registry.devices()).hasSize(6);
            assertThat(f.registry.device("d2").orElseThrow().state()).isEqualTo(LifecycleState.SUSPENDED);
        }
        assertThat(Files.readAllLines(log)).isEqualTo(lines);

        List<String> damaged = new ArrayList<>(lines);
        damaged.set(2, damaged.get(2).replace("\"d2\"", "\"dX\""));
        Files.write(log, damaged);
        assertThatThrownBy(() -> new Fixture(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("devices.log is damaged at line 3 and has changes after it");
    }

    @Test
    void snapshotsEmptyTheLogAndKeepEverything() throws IOException {
        Settings s = Settings.defaults(dir).withKdf(Fixture.CHEAP).withSnapshotEvery(5);
        List<Device> before;
        List<AuditEntry> audit;
        try (Fixture f = new Fixture(dir, s)) {
            fill(f.registry);
            before = sorted(f.registry);
            audit = f.registry.audit(AuditQuery.of(null, 1000));
            assertThat(dir.resolve("devices").resolve(DeviceStore.SNAPSHOT)).exists();
            assertThat(Files.readAllLines(dir.resolve("devices").resolve(DeviceStore.LOG)).size()).isLessThan(5);
        }
        try (Fixture f = new Fixture(dir, s)) {
            assertThat(sorted(f.registry)).isEqualTo(before);
            assertThat(f.registry.audit(AuditQuery.of(null, 1000))).isEqualTo(audit);
        }
        String snapshot = Files.readString(dir.resolve("devices").resolve(DeviceStore.SNAPSHOT));
        assertThat(snapshot).doesNotContain("password-", "00112233445566778899aabbccddeeff").contains("$argon2id$");
    }

    @Test
    void auditRecordsThatACrashKeptFromTheTrailAreRestored() throws IOException {
        List<AuditEntry> audit;
        try (Fixture f = new Fixture(dir)) {
            fill(f.registry);
            audit = f.registry.audit(AuditQuery.of(null, 1000));
        }
        Path trail = dir.resolve("devices").resolve(DeviceStore.AUDIT);
        List<String> lines = Files.readAllLines(trail);
        Files.write(trail, lines.subList(0, lines.size() - 3));
        Files.writeString(trail, "{\"s\":", StandardOpenOption.APPEND);

        try (Fixture f = new Fixture(dir)) {
            assertThat(f.registry.audit(AuditQuery.of(null, 1000))).isEqualTo(audit);
        }
    }

    @Test
    void theKeyFileIsRequiredOnceKeysAreSealedWithIt() throws IOException {
        try (Fixture f = new Fixture(dir)) {
            fill(f.registry);
        }
        Path key = dir.resolve("rosetta.devices.key");
        assertThat(Files.readString(key).trim()).hasSize(44);
        Files.move(key, dir.resolve("elsewhere.key"));
        assertThatThrownBy(() -> new Fixture(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rosetta.devices.key is missing").hasMessageContaining("restore the file");
        assertThat(key).doesNotExist();
    }

    @Test
    void oneRegistryPerFolder() {
        try (Fixture f = new Fixture(dir)) {
            assertThatThrownBy(() -> f.open(f.settings)).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
