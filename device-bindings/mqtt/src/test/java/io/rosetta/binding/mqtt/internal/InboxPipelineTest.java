package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.binding.mqtt.internal.dialect.HomeAssistantDialect;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugDialect;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugEdgeNode;
import io.rosetta.binding.mqtt.internal.dialect.TasmotaDialect;
import io.rosetta.binding.mqtt.internal.dialect.Zigbee2MqttDialect;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * New devices through the discovery inbox, from a message to a twin, against the real core: Zigbee2MQTT,
 * Home Assistant discovery and Sparkplug devices wait for approval (tasmota is auto-approved here), approval
 * creates the twin with what they reported meanwhile, rejection drops their messages until it is removed.
 */
class InboxPipelineTest {

    /** ESPHome's discovery config of a temperature sensor (abbreviated keys). */
    private static final String ESPHOME_TEMP = "{\"dev_cla\":\"temperature\",\"unit_of_meas\":\"°C\",\"stat_cla\":\"measurement\","
            + "\"name\":\"Temperature\",\"stat_t\":\"livingroom/sensor/temperature/state\",\"avty_t\":\"livingroom/status\","
            + "\"uniq_id\":\"ESPsensortemperature\",\"dev\":{\"ids\":\"98f4ab123456\",\"name\":\"livingroom\",\"sw\":\"esphome v2023.5.5\","
            + "\"mdl\":\"esp32dev\",\"mf\":\"espressif\"}}";

    private final CoreWiring core = new CoreWiring();
    private final List<Runnable> deferred = new ArrayList<>();
    private final SparkplugEdgeNode node = new SparkplugEdgeNode("plant", "edge-1", 1);
    private final InboundPipeline pipeline = new InboundPipeline("local", List.<Dialect>of(
            new Zigbee2MqttDialect("zigbee2mqtt", "t", TestModels.catalog().mappings("zigbee2mqtt"), TestModels.mapper()),
            new TasmotaDialect(null, "t", TestModels.catalog().mappings("tasmota"), TestModels.mapper()),
            new HomeAssistantDialect("homeassistant", "t", TestModels.catalog().mappings("homeassistant"), TestModels.mapper(), () -> { }),
            new SparkplugDialect(List.of("*"), "t", TestModels.catalog().mappings("sparkplug"), TestModels.mapper(), Duration.ofSeconds(10),
                    System::currentTimeMillis, o -> { }, e -> core.runtime.countEvent(SparkplugDialect.ID, e))),
            core.runtime, core.devices, core.inbox, Set.of("tasmota")::contains, deferred::add, 65536, 1000);

    @AfterEach
    void close() {
        core.close();
    }

    private void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void publish(String topic, byte[] payload) {
        pipeline.offer(topic, payload, () -> { });
        while (!deferred.isEmpty()) {
            deferred.remove(0).run();
        }
    }

    private Thing awaitTwin(ThingId id, String feature, String property, JsonValue value) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(id).orElse(null), t -> t != null && t.feature(feature)
                .map(f -> f.properties() != null && value.equals(f.properties().getOrNull(property))).orElse(false));
    }

    @Test
    void aDeviceWaitsInTheInboxAndApprovalCreatesItsTwinWithWhatItReportedMeanwhile() {
        ThingId id = ThingId.of("t", "z2m-office");
        publish("zigbee2mqtt/office", "{\"humidity\":40,\"temperature\":21.5}");
        publish("zigbee2mqtt/office", "{\"humidity\":41,\"temperature\":21.75}");

        assertThat(core.twin(id)).isEmpty();
        InboxEntry entry = core.inbox.entry(id).orElseThrow();
        assertThat(entry.status()).isEqualTo(InboxEntry.Status.PENDING);
        assertThat(entry.dialect()).isEqualTo("zigbee2mqtt");
        assertThat(entry.source()).isEqualTo("local");
        assertThat(entry.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(entry.device().configuration().getOrNull("address")).isEqualTo(JsonValue.of("office"));
        assertThat(core.runtime.event("zigbee2mqtt", InboundPipeline.INBOX_HELD)).isEqualTo(2);
        assertThat(core.runtime.accepted()).doesNotContainKey("zigbee2mqtt");

        core.inbox.approve(id, "admin");

        Thing twin = awaitTwin(id, "temperature", "value", JsonValue.of(21.75));
        assertThat(twin.feature("humidity").orElseThrow().properties().getOrNull("value")).isEqualTo(JsonValue.of(41));
        assertThat(core.devices.device(id)).isPresent();

        publish("zigbee2mqtt/office", "{\"humidity\":42,\"temperature\":22}");
        awaitTwin(id, "temperature", "value", JsonValue.of(22));
        assertThat(core.runtime.accepted()).containsEntry("zigbee2mqtt", 1L);
    }

    @Test
    void aRejectedDeviceIsDroppedUntilTheRejectionIsRemoved() {
        ThingId id = ThingId.of("t", "z2m-hallway");
        publish("zigbee2mqtt/hallway", "{\"humidity\":40,\"temperature\":21.5}");
        core.inbox.reject(id, "ops");

        publish("zigbee2mqtt/hallway", "{\"humidity\":40,\"temperature\":21.5}");
        publish("zigbee2mqtt/hallway", "{\"humidity\":40,\"temperature\":21.5}");

        assertThat(core.twin(id)).isEmpty();
        assertThat(core.runtime.event("zigbee2mqtt", InboundPipeline.INBOX_SUPPRESSED)).isEqualTo(2);
        assertThat(core.inbox.entry(id).orElseThrow().announcements()).isEqualTo(3);

        core.inbox.remove(id);
        publish("zigbee2mqtt/hallway", "{\"humidity\":40,\"temperature\":21.5}");
        assertThat(core.inbox.entry(id).orElseThrow().status()).isEqualTo(InboxEntry.Status.PENDING);
    }

    @Test
    void anAutoApprovedDialectBecomesATwinAtOnce() {
        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}");

        awaitTwin(ThingId.of("t", "tasmota-th"), "temperature", "value", JsonValue.of(21.5));
        assertThat(core.inbox.entry(ThingId.of("t", "tasmota-th")).orElseThrow().decidedBy()).isEqualTo("auto");
    }

    @Test
    void aHomeAssistantDiscoveryConfigLandsInTheInboxWithItsDeviceBlock() {
        publish("homeassistant/sensor/livingroom/temperature/config", ESPHOME_TEMP);

        ThingId id = ThingId.of("t", "ha-98f4ab123456");
        InboxEntry e = core.inbox.entry(id).orElseThrow();
        assertThat(e.status()).isEqualTo(InboxEntry.Status.PENDING);
        assertThat(e.attributes().getOrNull("manufacturer")).isEqualTo(JsonValue.of("espressif"));
        assertThat(core.twin(id)).isEmpty();

        core.inbox.approve(id, "admin");
        assertThat(core.twin(id).orElseThrow().attributes().orElseThrow().getOrNull("model")).isEqualTo(JsonValue.of("esp32dev"));
        publish("livingroom/sensor/temperature/state", "21.5");
        awaitTwin(id, "temperature", "value", JsonValue.of(21.5));
    }

    @Test
    void aSparkplugDeviceIsAnnouncedByItsBirthAndItsDeathTakesItsTwinOffline() throws Exception {
        ThingId id = ThingId.of("t", "spb-plant:edge-1:th-1");
        publish(node.topic("NBIRTH"), node.nbirth());
        publish(node.topic("DBIRTH", "th-1"), node.message(true,
                SparkplugEdgeNode.metric("Sensors/Temperature", 1L, MetricDataType.Float, 21.5f, "°C"),
                SparkplugEdgeNode.metric("Sensors/Humidity", 2L, MetricDataType.Float, 40f, "%")));

        InboxEntry e = core.inbox.entry(id).orElseThrow();
        assertThat(e.dialect()).isEqualTo("sparkplug");
        assertThat(e.attributes()).isEqualTo(JsonObject.of("sparkplug", JsonObject.newBuilder().set("groupId", "plant")
                .set("edgeNodeId", "edge-1").set("deviceId", "th-1").build()));

        core.inbox.approve(id, "admin");
        awaitTwin(id, "temperature", "value", JsonValue.of(21.5));
        publish(node.topic("DDATA", "th-1"), node.message(false, SparkplugEdgeNode.aliased(1, MetricDataType.Float, 23.5f)));
        awaitTwin(id, "temperature", "value", JsonValue.of(23.5));

        assertThat(core.runtime.availability(id)).isTrue();
        publish(node.topic("NDEATH"), node.ndeath());
        // the device said it is offline (the twin's status follows it while the broker connection is up: MqttBindingIntegrationTest)
        assertThat(core.runtime.availability(id)).isFalse();

        // the garbage of a dead node is refused and changes nothing
        long revision = core.twin(id).orElseThrow().revision();
        publish(node.topic("DDATA", "th-1"), node.message(false, SparkplugEdgeNode.aliased(1, MetricDataType.Float, 99f)));
        publish(node.topic("DDATA", "th-1"), new byte[] {1, 2, 3});
        assertThat(core.runtime.rejected("sparkplug", RejectReason.NO_BIRTH)).isEqualTo(2);
        assertThat(core.runtime.deadLetters()).extracting(d -> d.topic()).contains(node.topic("DDATA", "th-1"));
        assertThat(core.twin(id).orElseThrow().revision()).isEqualTo(revision);
        assertThat(core.runtime.event("sparkplug", SparkplugDialect.DEATHS)).isEqualTo(1);
    }
}
