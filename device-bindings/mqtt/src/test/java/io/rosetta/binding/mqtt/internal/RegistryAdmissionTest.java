package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.mqtt.DeadLetter;
import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.binding.mqtt.internal.dialect.TasmotaDialect;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding and a real device registry on the same twins: a registered device's first message marks its first
 * contact (PROVISIONED to ACTIVE), the data of a suspended one is refused and counted and leaves its twin as it was,
 * and devices the registry does not know go their usual way.
 */
class RegistryAdmissionTest {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    static final ThingId TWIN = ThingId.of("t", "tasmota-th");

    @TempDir
    Path dir;
    private final CoreWiring core = new CoreWiring();
    private final List<Runnable> deferred = new ArrayList<>();
    private DeviceRegistryImpl registry;
    private InboundPipeline pipeline;

    @BeforeEach
    void setUp() {
        registry = DeviceRegistryImpl.open(core.registry, TestModels.models(), new ModelTwinTemplates(TestModels.models()), dir,
                Map.of("kdf.memory.kib", "256", "kdf.iterations", "1"));
        core.runtime.setAdmissions(new RegistryAdmissions(registry));
        pipeline = new InboundPipeline("test", List.<Dialect>of(new TasmotaDialect(null, "t", TestModels.catalog().mappings("tasmota"),
                TestModels.mapper())), core.runtime, core.devices, core.inbox, dialect -> true, deferred::add, 4096, 100);
        registry.provision(DeviceSpec.newBuilder("th").thingId(TWIN.toString()).model(SENSOR).binding("mqtt").build(), "test", null);
    }

    @AfterEach
    void tearDown() {
        registry.close();
        core.close();
    }

    private void publish(String topic, String payload) {
        pipeline.offer(topic, payload.getBytes(StandardCharsets.UTF_8), () -> { });
        while (!deferred.isEmpty()) {
            deferred.remove(0).run();
        }
    }

    private static String sensor(double temperature) {
        return "{\"AM2301\":{\"Temperature\":" + temperature + ",\"Humidity\":40.0},\"TempUnit\":\"C\"}";
    }

    private Thing awaitTemperature(ThingId id, double value) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(id).orElse(null), t -> t != null
                && t.feature("temperature").map(f -> f.properties() != null && JsonValue.of(value).equals(f.properties().getOrNull("value")))
                .orElse(false));
    }

    @Test
    void firstContactActivatesSuspendedIsRefusedResumedIsTakenAgain() {
        assertThat(registry.device("th").orElseThrow().state()).isEqualTo(LifecycleState.PROVISIONED);

        publish("tele/th/SENSOR", sensor(21.5));
        Thing first = awaitTemperature(TWIN, 21.5);
        assertThat(registry.device("th").orElseThrow().state()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(first.lifecycle()).isEqualTo(LifecycleState.ACTIVE);

        registry.transition("th", LifecycleState.SUSPENDED, "test", "maintenance");
        long revision = core.twin(TWIN).orElseThrow().revision();
        publish("tele/th/SENSOR", sensor(30.0));
        publish("tele/th/LWT", "Offline");
        assertThat(core.runtime.rejected("tasmota", RejectReason.NOT_ADMITTED)).isEqualTo(2);
        assertThat(core.runtime.deadLetters()).extracting(DeadLetter::reason).containsOnly(RejectReason.NOT_ADMITTED);
        Thing unchanged = core.twin(TWIN).orElseThrow();
        assertThat(unchanged.revision()).isEqualTo(revision);
        assertThat(unchanged.feature("temperature").orElseThrow().properties().getOrNull("value")).isEqualTo(JsonValue.of(21.5));

        registry.transition("th", LifecycleState.ACTIVE, "test", "back");
        publish("tele/th/SENSOR", sensor(22.5));
        awaitTemperature(TWIN, 22.5);
        assertThat(core.runtime.rejected("tasmota", RejectReason.NOT_ADMITTED)).isEqualTo(2);
    }

    @Test
    void devicesTheRegistryDoesNotKnowAreNotAffected() {
        publish("tele/other/SENSOR", sensor(19.0));
        awaitTemperature(ThingId.of("t", "tasmota-other"), 19.0);
        assertThat(registry.device("other")).isEmpty();
        assertThat(core.runtime.rejected("tasmota", RejectReason.NOT_ADMITTED)).isZero();
    }

    @Test
    void aDecommissionedDevicesDataIsRefused() {
        publish("tele/th/SENSOR", sensor(21.5));
        awaitTemperature(TWIN, 21.5);
        registry.transition("th", LifecycleState.DECOMMISSIONED, "test", "scrapped");
        publish("tele/th/SENSOR", sensor(25.0));
        assertThat(core.runtime.rejected("tasmota", RejectReason.NOT_ADMITTED)).isEqualTo(1);
        assertThat(core.twin(TWIN).orElseThrow().feature("temperature").orElseThrow().properties().getOrNull("value"))
                .isEqualTo(JsonValue.of(21.5));
    }
}
