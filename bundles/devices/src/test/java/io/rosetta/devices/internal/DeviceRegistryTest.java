package io.rosetta.devices.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.Admission;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.AuthResult;
import io.rosetta.devices.ConfigurationStatus;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.DeviceQuery;
import io.rosetta.devices.DeviceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Provisioning, the state machine, credentials, configuration, the audit trail and listeners, on real twins. */
class DeviceRegistryTest {

    private static final String KEY = "hex:000102030405060708090a0b0c0d0e0f";
    private static final String CERT = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @TempDir
    Path dir;
    private Fixture f;
    private final List<DeviceEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        f = new Fixture(dir);
        f.registry.addListener(events::add);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Device provision(String id) {
        return f.registry.provision(DeviceSpec.newBuilder(id).thingId("acme:" + id).binding("mqtt").model(Fixture.SENSOR)
                .mqtt(id, "secret-" + id).psk("psk-" + id, KEY).build(), "admin", "new sensor");
    }

    private Thing twin(String id) {
        return f.twins.retrieve(ThingId.of(id)).orElseThrow();
    }

    @Test
    void provisioningCreatesTheTwinWithTheModelsFeaturesInStateProvisioned() {
        Device d = provision("th-1");

        assertThat(d.state()).isEqualTo(LifecycleState.PROVISIONED);
        assertThat(d.thingId()).isEqualTo(ThingId.of("acme:th-1"));
        assertThat(d.credentials().mqttPasswordHash()).startsWith("$argon2id$v=19$m=256,t=1,p=1$").doesNotContain("secret-th-1");
        assertThat(d.credentials().sealedPskKey()).isNotNull().doesNotContain("000102030405");
        Thing t = twin("acme:th-1");
        assertThat(t.lifecycle()).isEqualTo(LifecycleState.PROVISIONED);
        assertThat(t.definition()).hasValue(Fixture.SENSOR);
        assertThat(t.features()).extracting(io.rosetta.core.model.Feature::id).contains("temperature", "humidity");
        assertThat(f.registry.byThing(ThingId.of("acme:th-1"))).hasValue(d);
        assertThat(f.registry.byMqttUsername("th-1")).hasValue(d);
        assertThat(f.registry.byPskIdentity("psk-th-1")).hasValue(d);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(DeviceEvent.Type.PROVISIONED);
            assertThat(e.newMqttPassword()).isEqualTo("secret-th-1");
            assertThat(e.toString()).doesNotContain("secret-th-1");
        });
    }

    @Test
    void aDeviceWithoutThingIdGetsTheDefaultNamespace() {
        Device d = f.registry.provision(DeviceSpec.newBuilder("plug-7").model(Fixture.PLUG).build(), "admin", null);

        assertThat(d.thingId()).isEqualTo(ThingId.of("device:plug-7"));
        assertThat(f.registry.thingIdFor(DeviceSpec.newBuilder("x").build())).isEqualTo(ThingId.of("device:x"));
        assertThat(twin("device:plug-7").features()).extracting(io.rosetta.core.model.Feature::id).contains("switch");
    }

    @Test
    void anExistingTwinIsAdoptedWithItsStateButNotAnotherModelsTwin() {
        f.twins.create(Thing.newBuilder(ThingId.of("acme:old")).definition(Fixture.SENSOR).build());
        f.twins.create(Thing.newBuilder(ThingId.of("acme:plug")).definition(Fixture.PLUG).build());

        Device d = f.registry.provision(DeviceSpec.newBuilder("old").thingId("acme:old").model(Fixture.SENSOR).build(), "admin", null);
        assertThat(d.state()).isEqualTo(LifecycleState.ACTIVE);

        assertThatThrownBy(() -> f.registry.provision(DeviceSpec.newBuilder("p").thingId("acme:plug").model(Fixture.SENSOR).build(), "admin", null))
                .isInstanceOf(DeviceException.class).hasMessageContaining("follows the model " + Fixture.PLUG);
    }

    @Test
    void badInputIsRefusedWithOneLineAndChangesNothing() {
        provision("th-1");
        int twins = f.twins.size();
        long audit = f.registry.audit(AuditQuery.of(null, 100)).size();

        assertRefused(DeviceSpec.newBuilder("th-1").model(Fixture.SENSOR).build(), 409, DeviceException.CONFLICT, "exists");
        assertRefused(DeviceSpec.newBuilder("th-2").model("rosetta:nope:1.0.0").build(), 400, DeviceException.MODEL_UNKNOWN, "rosetta:nope");
        assertRefused(DeviceSpec.newBuilder("bad id!").model(Fixture.SENSOR).build(), 400, DeviceException.INVALID, "deviceId");
        assertRefused(DeviceSpec.newBuilder("th-2").thingId("no-colon").model(Fixture.SENSOR).build(), 400, DeviceException.INVALID, "thingId");
        assertRefused(DeviceSpec.newBuilder("th-2").thingId("acme:th-1").model(Fixture.SENSOR).build(), 409, DeviceException.CONFLICT,
                "belongs to the device 'th-1'");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).mqtt("th-1", "long-enough").build(), 409,
                DeviceException.CREDENTIALS_DUPLICATE, "MQTT username 'th-1'");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).psk("psk-th-1", KEY).build(), 409,
                DeviceException.CREDENTIALS_DUPLICATE, "PSK identity");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).mqtt("u2", "short").build(), 400,
                DeviceException.CREDENTIALS_INVALID, "too short");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).mqtt("u2", null).build(), 400,
                DeviceException.CREDENTIALS_INVALID, "needs mqttPassword");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).psk("id", "hex:zz").build(), 400,
                DeviceException.CREDENTIALS_INVALID, "malformed");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).psk("id", "hex:0011").build(), 400,
                DeviceException.CREDENTIALS_INVALID, "2 bytes");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).x509("abc").build(), 400,
                DeviceException.CREDENTIALS_INVALID, "SHA-256");
        assertRefused(DeviceSpec.newBuilder("th-2").model(Fixture.SENSOR).mqtt("u2", null).mqttPasswordHash("$2a$10$bcrypt").build(), 400,
                DeviceException.CREDENTIALS_INVALID, "PHC");

        assertThat(f.registry.devices()).hasSize(1);
        assertThat(f.twins.size()).isEqualTo(twins);
        assertThat(f.registry.audit(AuditQuery.of(null, 100))).hasSize((int) audit);
        assertThat(f.registry.stats().refused()).containsEntry(DeviceException.CREDENTIALS_INVALID, 6L);
    }

    private void assertRefused(DeviceSpec spec, int status, String code, String text) {
        assertThatThrownBy(() -> f.registry.provision(spec, "admin", null)).isInstanceOfSatisfying(DeviceException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).contains(text).doesNotContain("\n");
        });
    }

    @Test
    void firstContactActivatesSuspensionRefusesResumeReadmitsDecommissionRevokesForGood() {
        provision("th-1");
        byte[] pw = "secret-th-1".getBytes(StandardCharsets.UTF_8);
        assertThat(f.registry.authenticateMqtt("th-1", pw).outcome()).isEqualTo(AuthResult.Outcome.ACCEPTED);

        assertThat(f.registry.markContact(ThingId.of("acme:th-1"))).isEqualTo(Admission.ACCEPT);
        assertThat(f.registry.device("th-1").orElseThrow().state()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(twin("acme:th-1").lifecycle()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(f.registry.markContact("th-1")).isEqualTo(Admission.ACCEPT);
        assertThat(f.registry.markContact("nobody")).isEqualTo(Admission.UNREGISTERED);

        f.registry.transition("th-1", LifecycleState.SUSPENDED, "admin", "unpaid");
        assertThat(twin("acme:th-1").lifecycle()).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(f.registry.authenticateMqtt("th-1", pw).outcome()).isEqualTo(AuthResult.Outcome.NOT_ALLOWED);
        assertThat(f.registry.pskKey("psk-th-1")).isEmpty();
        assertThat(f.registry.markContact("th-1")).isEqualTo(Admission.REFUSE);
        assertThatThrownBy(() -> f.twins.report(ThingId.of("acme:th-1"), JsonPointer.of("/features/temperature/properties"),
                Json.parse("{\"value\":21.5}"), System.currentTimeMillis()))
                .isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.errorCode()).isEqualTo("things:thing.suspended"));

        f.registry.transition("th-1", LifecycleState.ACTIVE, "admin", "paid");
        assertThat(f.registry.authenticateMqtt("th-1", pw).accepted()).isTrue();
        assertThat(f.registry.pskKey("psk-th-1")).hasValueSatisfying(k -> assertThat(HexFormat.of().formatHex(k)).isEqualTo(KEY.substring(4)));

        Device gone = f.registry.transition("th-1", LifecycleState.DECOMMISSIONED, "admin", "broken");
        assertThat(gone.credentials().isEmpty()).isTrue();
        assertThat(f.registry.byMqttUsername("th-1")).isEmpty();
        assertThat(f.registry.authenticateMqtt("th-1", pw).outcome()).isEqualTo(AuthResult.Outcome.UNKNOWN);
        assertThat(f.registry.pskKey("psk-th-1")).isEmpty();
        assertThat(twin("acme:th-1").lifecycle()).isEqualTo(LifecycleState.DECOMMISSIONED);
        assertThat(events.get(events.size() - 1).revoked()).isTrue();
        assertThat(events.get(events.size() - 1).credentialsChanged()).isTrue();

        int audit = f.registry.audit(AuditQuery.of("th-1", 100)).size();
        assertThatThrownBy(() -> f.registry.transition("th-1", LifecycleState.ACTIVE, "admin", "oops"))
                .isInstanceOfSatisfying(DeviceException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(DeviceException.TRANSITION_INVALID);
                    assertThat(e.getMessage()).isEqualTo("The device 'th-1' cannot move from DECOMMISSIONED to ACTIVE.");
                });
        assertThatThrownBy(() -> provision("th-1")).isInstanceOfSatisfying(DeviceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(DeviceException.DECOMMISSIONED));
        assertThatThrownBy(() -> f.registry.updateCredentials("th-1", CredentialsUpdate.newBuilder().mqtt("th-1", "another-one").build(),
                "admin", null)).isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(f.registry.audit(AuditQuery.of("th-1", 100))).hasSize(audit);
        assertThat(f.registry.device("th-1").orElseThrow()).isEqualTo(gone);

        // the username of a decommissioned device may be given to a new one
        Device next = f.registry.provision(DeviceSpec.newBuilder("th-1b").model(Fixture.SENSOR).mqtt("th-1", "secret-new1").build(), "admin", null);
        assertThat(f.registry.byMqttUsername("th-1")).hasValue(next);
    }

    @ParameterizedTest
    @EnumSource(LifecycleState.class)
    void everyTransitionFollowsTheStateMachine(LifecycleState from) {
        for (LifecycleState to : LifecycleState.values()) {
            String id = "d-" + from.ordinal() + "-" + to.ordinal();
            provision(id);
            reach(id, from);
            Device before = f.registry.device(id).orElseThrow();
            if (from == to) {
                assertThat(f.registry.transition(id, to, "admin", null)).isSameAs(before);
            } else if (from.canMoveTo(to)) {
                assertThat(f.registry.transition(id, to, "admin", null).state()).isEqualTo(to);
                assertThat(twin("acme:" + id).lifecycle()).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> f.registry.transition(id, to, "admin", null)).isInstanceOf(DeviceException.class);
                assertThat(f.registry.device(id)).hasValue(before);
                assertThat(twin("acme:" + id).lifecycle()).isEqualTo(from);
            }
        }
    }

    private void reach(String id, LifecycleState state) {
        switch (state) {
            case PROVISIONED -> {
            }
            case ACTIVE -> f.registry.markContact(id);
            case SUSPENDED -> f.registry.transition(id, LifecycleState.SUSPENDED, "admin", null);
            case DECOMMISSIONED -> f.registry.transition(id, LifecycleState.DECOMMISSIONED, "admin", null);
        }
        assertThat(f.registry.device(id).orElseThrow().state()).isEqualTo(state);
    }

    @Test
    void passwordsAreVerifiedOnceWithArgon2idThenFromTheCacheUntilTheyChange() {
        provision("th-1");
        byte[] pw = "secret-th-1".getBytes(StandardCharsets.UTF_8);

        assertThat(f.registry.authenticateMqtt("th-1", pw).accepted()).isTrue();
        assertThat(f.registry.authenticateMqtt("th-1", pw).accepted()).isTrue();
        assertThat(f.registry.authenticateMqtt("th-1", pw).accepted()).isTrue();
        assertThat(f.registry.stats().kdfVerifications()).isEqualTo(1);
        assertThat(f.registry.stats().cacheHits()).isEqualTo(2);

        assertThat(f.registry.authenticateMqtt("th-1", "wrong-password".getBytes(StandardCharsets.UTF_8)).outcome())
                .isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);
        assertThat(f.registry.authenticateMqtt("nobody", pw).outcome()).isEqualTo(AuthResult.Outcome.UNKNOWN);
        assertThat(f.registry.authenticateMqtt("th-1", null).outcome()).isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);

        Device rotated = f.registry.updateCredentials("th-1", CredentialsUpdate.newBuilder().mqtt(null, "rotated-secret").build(), "admin", "rotation");
        assertThat(rotated.credentials().mqttUsername()).isEqualTo("th-1");
        assertThat(rotated.credentials().version()).isEqualTo(2);
        assertThat(f.registry.cachedCredentials()).isZero();
        assertThat(f.registry.authenticateMqtt("th-1", pw).outcome()).isEqualTo(AuthResult.Outcome.BAD_CREDENTIALS);
        assertThat(f.registry.authenticateMqtt("th-1", "rotated-secret".getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
        assertThat(events.get(events.size() - 1)).satisfies(e -> {
            assertThat(e.type()).isEqualTo(DeviceEvent.Type.CREDENTIALS_CHANGED);
            assertThat(e.newMqttPassword()).isEqualTo("rotated-secret");
        });
        assertThat(f.registry.stats().authRefused()).containsEntry("mqtt:BAD_CREDENTIALS", 3L).containsEntry("mqtt:UNKNOWN", 1L);
    }

    @Test
    void aHashMadeByTheReferenceArgon2ToolIsAccepted() {
        // echo -n "device-secret-1" | argon2 c2FsdHNhbHQxMjM0 -id -t 2 -k 19456 -p 1 -l 32 -e
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$YzJGc2RITmhiSFF4TWpNMA$uUuNNaXU4DvzV80u5B3kNZwJZ5sB8oxJFGxVj5mvQRU";
        f.registry.provision(DeviceSpec.newBuilder("ext").model(Fixture.SENSOR).mqtt("ext", null).mqttPasswordHash(hash).build(), "admin", null);

        assertThat(f.registry.authenticateMqtt("ext", "device-secret-1".getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
        assertThat(f.registry.authenticateMqtt("ext", "device-secret-2".getBytes(StandardCharsets.UTF_8)).accepted()).isFalse();
        assertThat(events.get(0).newMqttPassword()).isNull();
    }

    @Test
    void credentialsChangeAndAreRemovedAndDuplicatesAreRefused() {
        provision("a");
        provision("b");

        Device a = f.registry.updateCredentials("a", CredentialsUpdate.newBuilder().psk("a-new", null).x509(CERT).build(), "admin", null);
        assertThat(a.credentials().pskIdentity()).isEqualTo("a-new");
        assertThat(f.registry.pskKey("psk-a")).isEmpty();
        assertThat(f.registry.pskKey("a-new")).hasValueSatisfying(k -> assertThat(HexFormat.of().formatHex(k)).isEqualTo(KEY.substring(4)));
        assertThat(f.registry.authenticateCertificate(CERT.replace(":", "").toLowerCase()).accepted()).isTrue();
        assertThat(f.registry.byCertificate(CERT)).hasValue(a);

        assertThatThrownBy(() -> f.registry.updateCredentials("b", CredentialsUpdate.newBuilder().x509(CERT).build(), "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.errorCode()).isEqualTo(DeviceException.CREDENTIALS_DUPLICATE));
        assertThatThrownBy(() -> f.registry.updateCredentials("b", CredentialsUpdate.newBuilder().mqtt("a", null).build(), "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.errorCode()).isEqualTo(DeviceException.CREDENTIALS_DUPLICATE));
        assertThatThrownBy(() -> f.registry.updateCredentials("nobody", CredentialsUpdate.newBuilder().removePsk().build(), "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> f.registry.updateCredentials("b", CredentialsUpdate.newBuilder().build(), "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.status()).isEqualTo(400));

        Device b = f.registry.updateCredentials("b", CredentialsUpdate.newBuilder().removeMqtt().removePsk().build(), "admin", "no more");
        assertThat(b.credentials().isEmpty()).isTrue();
        assertThat(f.registry.byMqttUsername("b")).isEmpty();
        assertThat(f.registry.audit(AuditQuery.of("b", 10))).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditEntry.Action.CREDENTIALS_CHANGED);
            assertThat(e.detail()).isEqualTo("mqtt removed, psk removed");
            assertThat(e.reason()).isEqualTo("no more");
        });
    }

    @Test
    void configurationIsDesiredStateOnTheTwinPendingUntilReported() {
        provision("th-1");
        f.registry.configure("th-1", Json.parseObject("{\"interval\":30,\"thresholds\":{\"high\":28}}"), "admin", "faster");

        Thing t = twin("acme:th-1");
        assertThat(t.feature(ConfigurationStatus.FEATURE).orElseThrow().desiredProperties())
                .isEqualTo(Json.parse("{\"interval\":30,\"thresholds\":{\"high\":28}}"));
        ConfigurationStatus status = f.registry.configuration("th-1");
        assertThat(status.pending()).extracting(ConfigurationStatus.Entry::path).containsExactly("/interval", "/thresholds/high");

        f.twins.report(ThingId.of("acme:th-1"), JsonPointer.of("/features/configuration/properties"),
                Json.parse("{\"interval\":30.0,\"thresholds\":{\"high\":25},\"firmware\":\"1.2\"}"), System.currentTimeMillis());
        status = f.registry.configuration("th-1");
        assertThat(status.entries()).extracting(e -> e.path() + "=" + e.state()).containsExactly("/interval=APPLIED",
                "/thresholds/high=PENDING", "/firmware=REPORTED_ONLY");
        assertThat(status.inSync()).isFalse();

        Device d = f.registry.configure("th-1", Json.parseObject("{\"thresholds\":null}"), "admin", null);
        assertThat(d.configuration()).isEqualTo(Json.parse("{\"interval\":30}"));
        assertThat(f.registry.configuration("th-1").inSync()).isTrue();
        assertThat(f.registry.audit(AuditQuery.of("th-1", 10))).filteredOn(e -> e.action() == AuditEntry.Action.CONFIGURATION_CHANGED)
                .extracting(AuditEntry::detail).containsExactly("+/interval=30 +/thresholds/high=28", "-/thresholds/high");

        f.registry.replaceConfiguration("th-1", JsonObject.empty(), "admin", null);
        assertThat(f.registry.configuration("th-1").desired()).isEqualTo(JsonObject.empty());

        f.registry.transition("th-1", LifecycleState.DECOMMISSIONED, "admin", null);
        assertThatThrownBy(() -> f.registry.configure("th-1", Json.parseObject("{\"a\":1}"), "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> f.registry.configuration("nobody")).isInstanceOfSatisfying(DeviceException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void aConfigurationTheTwinRefusesChangesNothing() {
        f.twins.setValidators(List.of(new io.rosetta.models.internal.ModelValidator(Fixture.MODELS, true, true), (candidate, previous) -> {
            if (candidate.feature("configuration").map(x -> x.desiredProperties() != null && x.desiredProperties().contains("forbidden"))
                    .orElse(false)) {
                throw new io.rosetta.core.model.ModelViolationException("acme:th-1", List.of("features/configuration/desiredProperties/forbidden: not settable"));
            }
        }));
        provision("th-1");
        f.registry.configure("th-1", Json.parseObject("{\"interval\":30}"), "admin", null);
        Device before = f.registry.device("th-1").orElseThrow();
        Thing twinBefore = twin("acme:th-1");
        int audit = f.registry.audit(AuditQuery.of("th-1", 10)).size();

        assertThatThrownBy(() -> f.registry.configure("th-1", Json.parseObject("{\"forbidden\":1}"), "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo(DeviceException.CONFIGURATION_INVALID);
                    assertThat(e.getMessage()).contains("not settable");
                });
        assertThat(f.registry.device("th-1")).hasValue(before);
        assertThat(twin("acme:th-1")).isEqualTo(twinBefore);
        assertThat(f.registry.audit(AuditQuery.of("th-1", 10))).hasSize(audit);
    }

    @Test
    void whenTheStoreFailsNothingIsHalfMade() throws Exception {
        provision("th-1");
        int twins = f.twins.size();
        java.lang.reflect.Field storeField = DeviceRegistryImpl.class.getDeclaredField("store");
        storeField.setAccessible(true);
        java.lang.reflect.Field logField = DeviceStore.class.getDeclaredField("log");
        logField.setAccessible(true);
        ((java.nio.channels.FileChannel) logField.get(storeField.get(f.registry))).close();

        assertThatThrownBy(() -> provision("th-2")).isInstanceOfSatisfying(DeviceException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.errorCode()).isEqualTo(DeviceException.STORAGE_FAILED);
        });
        assertThat(f.registry.device("th-2")).isEmpty();
        assertThat(f.twins.size()).isEqualTo(twins);
        assertThat(f.registry.byMqttUsername("th-2")).isEmpty();

        assertThatThrownBy(() -> f.registry.transition("th-1", LifecycleState.SUSPENDED, "admin", null))
                .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(f.registry.device("th-1").orElseThrow().state()).isEqualTo(LifecycleState.PROVISIONED);
        assertThat(twin("acme:th-1").lifecycle()).isEqualTo(LifecycleState.PROVISIONED);

        io.rosetta.devices.ImportReport report = f.registry.importDevices(List.of(DeviceSpec.newBuilder("th-3").model(Fixture.SENSOR).build()),
                io.rosetta.devices.ImportOptions.defaults(), io.rosetta.devices.ImportProgress.NONE, "admin");
        assertThat(report.imported()).isZero();
        assertThat(report.errors()).singleElement().satisfies(e -> assertThat(e.error()).isEqualTo(DeviceException.STORAGE_FAILED));
        assertThat(f.twins.retrieve(ThingId.of("device:th-3"))).isEmpty();
    }

    @Test
    void theAuditTrailSaysWhoWhatWhenWhy() {
        provision("th-1");
        f.registry.markContact("th-1");
        f.registry.transition("th-1", LifecycleState.SUSPENDED, "token:ops", "theft reported");

        List<AuditEntry> trail = f.registry.audit(AuditQuery.of("th-1", 10));
        assertThat(trail).extracting(AuditEntry::action).containsExactly(AuditEntry.Action.PROVISIONED, AuditEntry.Action.STATE_CHANGED,
                AuditEntry.Action.STATE_CHANGED);
        assertThat(trail).extracting(AuditEntry::actor).containsExactly("admin", "binding", "token:ops");
        assertThat(trail.get(1).detail()).isEqualTo("PROVISIONED -> ACTIVE (first contact)");
        assertThat(trail.get(2).detail()).isEqualTo("ACTIVE -> SUSPENDED");
        assertThat(trail.get(2).reason()).isEqualTo("theft reported");
        assertThat(trail).extracting(AuditEntry::seq).isSorted();
        assertThat(trail.get(2).time()).isBetween(trail.get(0).time(), java.time.Instant.now());

        provision("th-2");
        assertThat(f.registry.audit(AuditQuery.of(null, 2))).extracting(AuditEntry::deviceId).containsExactly("th-1", "th-2");
        assertThat(f.registry.audit(new AuditQuery(null, java.time.Instant.now().plusSeconds(60), 10))).isEmpty();
    }

    @Test
    void findFiltersSortsAndPages() {
        for (int i = 9; i >= 0; i--) {
            provision("d" + i);
        }
        f.registry.provision(DeviceSpec.newBuilder("p1").model(Fixture.PLUG).binding("coap").build(), "admin", null);
        f.registry.transition("d3", LifecycleState.SUSPENDED, "admin", null);

        assertThat(f.registry.find(new DeviceQuery(null, null, null, "acme", null, 2, 3)).items()).extracting(Device::deviceId)
                .containsExactly("d2", "d3", "d4");
        assertThat(f.registry.find(new DeviceQuery(LifecycleState.SUSPENDED, null, null, null, null, 0, 0)).items())
                .extracting(Device::deviceId).containsExactly("d3");
        assertThat(f.registry.find(new DeviceQuery(null, "coap", null, null, null, 0, 0)).total()).isEqualTo(1);
        assertThat(f.registry.find(new DeviceQuery(null, null, Fixture.PLUG, "dev*", null, 0, 0)).items()).extracting(Device::deviceId)
                .containsExactly("p1");
        assertThat(f.registry.find(new DeviceQuery(null, null, null, null, id -> !id.namespace().equals("acme"), 0, 0)).total()).isEqualTo(1);
        assertThat(f.registry.stats().byState()).containsEntry(LifecycleState.PROVISIONED, 10).containsEntry(LifecycleState.SUSPENDED, 1);
    }

    @Test
    void aFailingListenerIsCountedAndDoesNotUndoTheChange() {
        f.registry.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        provision("th-1");
        assertThat(f.registry.device("th-1")).isPresent();
        assertThat(f.registry.stats().listenerFailures()).isEqualTo(1);
        assertThat(events).hasSize(1);
    }

    @Test
    void concurrentFirstContactsMoveTheDeviceOnceAndEveryOneIsAdmitted() throws Exception {
        provision("th-1");
        int threads = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Admission>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return f.registry.markContact("th-1");
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Admission> a : answers) {
                assertThat(a.get()).isEqualTo(Admission.ACCEPT);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.registry.audit(AuditQuery.of("th-1", 10))).filteredOn(e -> e.action() == AuditEntry.Action.STATE_CHANGED).hasSize(1);
        assertThat(events).filteredOn(e -> e.type() == DeviceEvent.Type.LIFECYCLE_CHANGED).hasSize(1);
    }

    @Test
    void concurrentConnectsWithTheSamePasswordShareOneArgon2Check() throws Exception {
        provision("th-1");
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<AuthResult>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return f.registry.authenticateMqtt("th-1", "secret-th-1".getBytes(StandardCharsets.UTF_8));
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<AuthResult> a : answers) {
                assertThat(a.get().outcome()).isEqualTo(AuthResult.Outcome.ACCEPTED);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.registry.stats().kdfVerifications()).isEqualTo(1);
        assertThat(f.registry.stats().authAccepted()).isEqualTo(threads);
    }

    @Test
    void aPasswordCheckThatFindsNoFreeArgon2SlotIsRefusedAsBusy() throws Exception {
        Settings s = f.settings;
        Settings oneSlotNoWait = new Settings(dir.resolve("busy"), dir.resolve("busy.key"), s.defaultNamespace(), s.fsync(),
                s.fsyncIntervalMillis(), s.snapshotEvery(), s.kdf(), 1, 0, 0, s.cacheTtlMillis(), s.passwordMinLength(), s.pskMinBytes(),
                s.auditMaxBytes(), s.importMaxRows());
        DeviceRegistryImpl busy = f.open(oneSlotNoWait);
        try {
            busy.provision(DeviceSpec.newBuilder("b").model(Fixture.SENSOR).mqtt("b", "password-b").build(), "admin", null);
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread holder = new Thread(() -> busy.withKdfSlot(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            holder.start();
            held.await();
            assertThat(busy.authenticateMqtt("b", "password-b".getBytes(StandardCharsets.UTF_8)).outcome()).isEqualTo(AuthResult.Outcome.BUSY);
            release.countDown();
            holder.join();
            assertThat(busy.authenticateMqtt("b", "password-b".getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
            assertThat(busy.stats().authRefused()).containsEntry("mqtt:BUSY", 1L);
        } finally {
            busy.close();
        }
    }

    @Test
    void theDeviceJsonShowsNoSecrets() {
        Device d = provision("th-1");
        String json = d.toJson().toString();
        assertThat(json).contains("\"mqttUsername\":\"th-1\"", "\"mqttPassword\":true", "\"pskKey\":true", "\"state\":\"PROVISIONED\"")
                .doesNotContain("argon2", d.credentials().sealedPskKey());
        assertThat(d.credentials().toString()).doesNotContain("argon2");
        assertThat(Credentials.normalizeFingerprint(CERT)).hasSize(64).isLowerCase();
    }
}
