package io.rosetta.binding.coap.internal;

import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.LINKS;
import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.TH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-shared keys, admission and revocation from the real device registry ({@code DeviceRegistryImpl} in a temporary
 * folder, on the same twin registry as the binding), with Scandium clients as devices: a provisioned device registers
 * with its key and becomes ACTIVE; suspending it ends its open DTLS session at once (its next request gets no answer,
 * a new handshake is refused) and resuming lets it back in; a new key ends the session and only the new key works;
 * the registry decides about its identities even when the configuration knows them; a suspended device's
 * registration is refused with 4.03 and counted.
 */
class DeviceRegistryIntegrationTest {

    private static final String SENSOR_KEY = "sensor-1-secret-key!";
    private static final String READING = "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]";

    @TempDir
    Path dir;
    private final CoreWiring core = new CoreWiring();
    private DeviceRegistryImpl registry;
    private CoapServerComponent server;

    @BeforeEach
    void start() {
        registry = DeviceRegistryImpl.open(core.registry, TestModels.models(), new ModelTwinTemplates(TestModels.models()), dir,
                Map.of("kdf.memory.kib", "256", "kdf.iterations", "1", "kdf.parallelism", "1", "fsync", "never"));
        server = core.server(Map.of("allowPlainCoap", true, "psk.th1", "th1-config-key", "psk.psk-sensor-1", "a-configured-key"));
        // as DS does it: the optional reference, and the server as one of the registry's listeners
        server.bindDeviceRegistry(registry);
        registry.addListener(server);
    }

    @AfterEach
    void stop() {
        core.close();
        registry.close();
    }

    private Device provisionSensor() {
        return registry.provision(DeviceSpec.newBuilder("sensor-1").binding("coap").model(TH).psk("psk-sensor-1", SENSOR_KEY).build(),
                "admin", null);
    }

    private CoapClients sensor(String key) {
        return CoapClients.dtls(server.secureAddress(), "psk-sensor-1", key.getBytes(StandardCharsets.UTF_8));
    }

    private static CoapResponse register(CoapClients c, String query) {
        return c.tryPost("/rd?" + query, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
    }

    private boolean temperatureIs(ThingId id, double value) {
        return core.twin(id).flatMap(t -> t.feature("temperature")).map(f -> f.properties().getOrNull("value"))
                .filter(v -> v.equals(JsonNumber.of(value))).isPresent();
    }

    @Test
    void aProvisionedDeviceRegistersWithItsRegistryKeyOnItsTwinAndBecomesActive() throws Exception {
        Device d = provisionSensor();
        assertThat(d.state()).isEqualTo(LifecycleState.PROVISIONED);
        assertThat(d.thingId()).isEqualTo(ThingId.of("device", "sensor-1"));
        try (CoapClients c = sensor(SENSOR_KEY)) {
            // another model than the registry's is refused; the endpoint is the device id, nothing else
            assertThat(register(c, "ep=sensor-1&lt=60&et=rosetta:smart-plug:1.0.0").getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(register(c, "ep=th1&lt=60").getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(registry.device("sensor-1").orElseThrow().state()).isEqualTo(LifecycleState.PROVISIONED);

            // no et: the registry's model; first contact makes the device ACTIVE
            assertThat(register(c, "ep=sensor-1&lt=60").getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(registry.device("sensor-1").orElseThrow().state()).isEqualTo(LifecycleState.ACTIVE);
            assertThat(c.post("/dev/sensor-1", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
        }
        // the registry's twin, not coap:sensor-1
        await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs(d.thingId(), 21.5));
        assertThat(core.twin(d.thingId()).orElseThrow().lifecycle()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(core.twin(ThingId.of("coap", "sensor-1"))).isEmpty();
        assertThat(registry.audit(io.rosetta.devices.AuditQuery.of("sensor-1", 100)))
                .anyMatch(e -> "binding".equals(e.actor()) && e.detail().contains("first contact"));

        // the identity belongs to the registry: the configured key of the same identity does not open it
        try (CoapClients c = sensor("a-configured-key")) {
            assertThat(register(c, "ep=sensor-1&lt=60")).isNull();
        }
        // nor may plain CoAP or another credential register the registry device's endpoint
        try (CoapClients plain = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(register(plain, "ep=sensor-1&lt=60&et=" + TH).getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        }
        // identities the registry does not know: the configuration
        try (CoapClients th1 = CoapClients.dtls(server.secureAddress(), "th1", "th1-config-key".getBytes(StandardCharsets.UTF_8))) {
            assertThat(register(th1, "ep=th1&lt=60&et=" + TH).getCode()).isEqualTo(ResponseCode.CREATED);
        }
    }

    @Test
    void suspendingEndsTheOpenSessionAtOnceAndResumingLetsTheDeviceBackIn() throws Exception {
        Device d = provisionSensor();
        try (CoapClients c = sensor(SENSOR_KEY)) {
            assertThat(register(c, "ep=sensor-1&lt=300").getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(c.post("/dev/sensor-1", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);

            registry.transition("sensor-1", LifecycleState.SUSPENDED, "admin", "stolen");
            await().atMost(Duration.ofSeconds(5)).until(() -> !core.runtime.registeredEndpoints().contains("sensor-1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(d.thingId()).orElseThrow().connectivity().status()
                    == ConnectivityStatus.Status.OFFLINE);
            // the same client, in the middle of its session (lifetime 300 s left): its session is gone, no answer
            assertThat(c.tryPost("/dev/sensor-1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":30}]", ReadingIngest.SENML_JSON)).isNull();
        }
        // a new handshake is refused
        try (CoapClients c = sensor(SENSOR_KEY)) {
            assertThat(register(c, "ep=sensor-1&lt=300")).isNull();
        }
        assertThat(temperatureIs(d.thingId(), 21.5)).isTrue();
        assertThat(core.twin(d.thingId()).orElseThrow().lifecycle()).isEqualTo(LifecycleState.SUSPENDED);

        registry.transition("sensor-1", LifecycleState.ACTIVE, "admin", "found again");
        try (CoapClients c = sensor(SENSOR_KEY)) {
            assertThat(register(c, "ep=sensor-1&lt=300").getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(c.post("/dev/sensor-1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":22}]", ReadingIngest.SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs(d.thingId(), 22));
    }

    @Test
    void aNewKeyEndsTheSessionAndOnlyTheNewKeyWorks() throws Exception {
        provisionSensor();
        try (CoapClients c = sensor(SENSOR_KEY)) {
            assertThat(register(c, "ep=sensor-1&lt=300").getCode()).isEqualTo(ResponseCode.CREATED);
            registry.updateCredentials("sensor-1", CredentialsUpdate.newBuilder().psk(null, "sensor-1-rotated-key").build(), "admin", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> !core.runtime.registeredEndpoints().contains("sensor-1"));
            assertThat(c.tryPost("/dev/sensor-1", READING, ReadingIngest.SENML_JSON)).isNull();
        }
        try (CoapClients old = sensor(SENSOR_KEY)) {
            assertThat(register(old, "ep=sensor-1&lt=300")).isNull();
        }
        try (CoapClients rotated = sensor("sensor-1-rotated-key")) {
            assertThat(register(rotated, "ep=sensor-1&lt=300").getCode()).isEqualTo(ResponseCode.CREATED);
        }
        // an MQTT-only change leaves the DTLS session alone
        try (CoapClients rotated = sensor("sensor-1-rotated-key")) {
            assertThat(register(rotated, "ep=sensor-1&lt=300").getCode()).isEqualTo(ResponseCode.CREATED);
            registry.updateCredentials("sensor-1", CredentialsUpdate.newBuilder().mqtt("sensor-1", "a-long-password").build(), "admin", null);
            assertThat(rotated.post("/dev/sensor-1", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
        }
    }

    @Test
    void aSuspendedDeviceIsRefusedWith403AndCountedWithoutChangingItsTwin() throws Exception {
        // a plain CoAP device known to the registry by its twin
        Device d = registry.provision(DeviceSpec.newBuilder("th5").thingId("coap:th5").binding("coap").model(TH).build(), "admin", null);
        registry.transition("th5", LifecycleState.SUSPENDED, "admin", null);
        long revision = core.twin(d.thingId()).orElseThrow().revision();
        try (CoapClients plain = CoapClients.plain(server.plainAddress(), 512)) {
            CoapResponse r = register(plain, "ep=th5&lt=60&et=" + TH);
            assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(r.getResponseText()).contains("suspended");
            assertThat(plain.post("/dev/th5", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
        }
        assertThat(core.runtime.rejected(RejectReason.NOT_ADMITTED)).isEqualTo(1);
        assertThat(core.runtime.deadLetters()).anyMatch(l -> l.reason() == RejectReason.NOT_ADMITTED && l.endpoint().equals("th5"));
        assertThat(core.twin(d.thingId()).orElseThrow().revision()).isEqualTo(revision);
        assertThat(registry.device("th5").orElseThrow().state()).isEqualTo(LifecycleState.SUSPENDED);

        // resumed: admitted
        registry.transition("th5", LifecycleState.ACTIVE, "admin", null);
        try (CoapClients plain = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(register(plain, "ep=th5&lt=60&et=" + TH).getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(plain.post("/dev/th5", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs(d.thingId(), 21.5));
    }

    @Test
    void aDeviceProvisionedWhileRegisteredIsAdmittedAtItsNextReadingAndADeviceUnknownToTheRegistryIsUnaffected() throws Exception {
        try (CoapClients plain = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(register(plain, "ep=th6&lt=60&et=" + TH).getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(plain.post("/dev/th6", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
            Device d = registry.provision(DeviceSpec.newBuilder("th6").thingId("coap:th6").binding("coap").model(TH).build(), "admin", null);
            assertThat(plain.post("/dev/th6", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":23}]", ReadingIngest.SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
            assertThat(registry.device("th6").orElseThrow().acceptsData()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs(d.thingId(), 23));

            // decommissioned: the registration ends, a new one is refused
            registry.transition("th6", LifecycleState.DECOMMISSIONED, "admin", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> !core.runtime.registeredEndpoints().contains("th6"));
            assertThat(plain.post("/dev/th6", READING, ReadingIngest.SENML_JSON).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
            assertThat(register(plain, "ep=th6&lt=60&et=" + TH).getCode()).isEqualTo(ResponseCode.FORBIDDEN);
        }
        assertThat(temperatureIs(ThingId.of("coap", "th6"), 23)).isTrue();
    }
}
