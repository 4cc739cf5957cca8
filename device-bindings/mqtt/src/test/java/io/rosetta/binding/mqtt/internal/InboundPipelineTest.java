package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.mqtt.DeadLetter;
import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.binding.mqtt.internal.dialect.TasmotaDialect;
import io.rosetta.binding.mqtt.internal.dialect.Zigbee2MqttDialect;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline from a message to a twin, against the real core (registry, validator, device manager). */
class InboundPipelineTest {

    private final CoreWiring core = new CoreWiring();
    private final List<Runnable> deferred = new ArrayList<>();
    private final AtomicInteger acks = new AtomicInteger();
    private final InboundPipeline pipeline = pipeline(new LoadMeter(InboundPipeline.INLINE_BELOW, System::nanoTime));

    /** The pipeline of these tests: a queue of 3, its drain tasks deferred until {@link #drain}. */
    private InboundPipeline pipeline(LoadMeter meter) {
        return new InboundPipeline("test", List.<Dialect>of(
                new Zigbee2MqttDialect("zigbee2mqtt", "t", TestModels.catalog().mappings("zigbee2mqtt"), TestModels.mapper()),
                new TasmotaDialect(null, "t", TestModels.catalog().mappings("tasmota"), TestModels.mapper())),
                core.runtime, core.devices, core.inbox, dialect -> true, deferred::add, 512, 3, meter);
    }

    /** A pipeline whose processing always counts as busy: Paho's thread only enqueues. */
    private InboundPipeline handingOver() {
        return pipeline(new LoadMeter(0, System::nanoTime));
    }

    @AfterEach
    void close() {
        core.close();
    }

    private void publish(String topic, String payload) {
        pipeline.offer(topic, payload.getBytes(StandardCharsets.UTF_8), acks::incrementAndGet);
    }

    /** Runs the drain tasks the pipeline handed to its executor, as the scheduler would. */
    private void drain() {
        while (!deferred.isEmpty()) {
            deferred.remove(0).run();
        }
    }

    private Thing awaitTwin(ThingId id, String feature, String property, JsonValue value) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(id).orElse(null),
                t -> t != null && t.feature(feature).map(f -> value.equals(f.properties() == null ? null : f.properties().getOrNull(property))).orElse(false));
    }

    @Test
    void aFirstMessageAttachesTheDeviceAndReachesItsTwin() {
        publish("zigbee2mqtt/office", "{\"battery\":97,\"humidity\":40,\"linkquality\":134,\"temperature\":21.5,\"voltage\":3025}");
        drain();

        Thing twin = awaitTwin(ThingId.of("t", "z2m-office"), "temperature", "value", JsonValue.of(21.5));
        assertThat(twin.definition()).contains("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(twin.feature("humidity").orElseThrow().properties().getOrNull("value")).isEqualTo(JsonValue.of(40));
        assertThat(twin.feature("device").orElseThrow().properties().getOrNull("batteryLevel")).isEqualTo(JsonValue.of(97));
        assertThat(core.devices.device(twin.thingId()).orElseThrow().configuration().getOrNull("broker")).isEqualTo(JsonValue.of("test"));
        assertThat(acks).hasValue(1);
        assertThat(core.runtime.accepted()).containsEntry("zigbee2mqtt", 1L);
    }

    @Test
    void badMessagesAreCountedAndKeptAsDeadLettersAndChangeNoTwin() {
        ThingId id = ThingId.of("t", "tasmota-th");
        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}");
        drain();
        Thing before = awaitTwin(id, "temperature", "value", JsonValue.of(21.5));

        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":21.5,");                                       // malformed
        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":\"warm\",\"Humidity\":40.0},\"TempUnit\":\"C\"}"); // wrong type
        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":22,\"Humidity\":140.0},\"TempUnit\":\"C\"}");      // out of range
        drain();
        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":23,\"Humidity\":40},\"pad\":\"" + "x".repeat(600) + "\"}"); // oversized
        publish("homie/device/$state", "ready");                                                              // unknown topic
        drain();

        assertThat(core.runtime.rejected("tasmota", RejectReason.MALFORMED_PAYLOAD)).isEqualTo(1);
        assertThat(core.runtime.rejected("tasmota", RejectReason.WRONG_TYPE)).isEqualTo(1);
        assertThat(core.runtime.rejected("tasmota", RejectReason.OUT_OF_RANGE)).isEqualTo(1);
        assertThat(core.runtime.rejected("tasmota", RejectReason.OVERSIZED)).isEqualTo(1);
        assertThat(core.runtime.rejected("none", RejectReason.UNKNOWN_TOPIC)).isEqualTo(1);
        assertThat(core.runtime.deadLetters()).extracting(DeadLetter::reason).containsExactly(RejectReason.MALFORMED_PAYLOAD,
                RejectReason.WRONG_TYPE, RejectReason.OUT_OF_RANGE, RejectReason.OVERSIZED, RejectReason.UNKNOWN_TOPIC);
        DeadLetter oversized = core.runtime.deadLetters().get(3);
        assertThat(oversized.payloadSize()).isGreaterThan(600);
        assertThat(oversized.payloadExcerpt()).hasSize(MqttRuntime.EXCERPT_BYTES);
        assertThat(acks).hasValue(6);

        publish("tele/th/SENSOR", "{\"AM2301\":{\"Temperature\":22.5,\"Humidity\":41.0},\"TempUnit\":\"C\"}");
        drain();
        Thing after = awaitTwin(id, "temperature", "value", JsonValue.of(22.5));
        assertThat(after.revision()).isGreaterThan(before.revision());
        // between the good messages nothing was written: the refused ones left no trace in the twin
        assertThat(after.feature("humidity").orElseThrow().properties().getOrNull("value")).isEqualTo(JsonValue.of(41.0));
    }

    @Test
    void anIdleConnectionMapsEachMessageOnTheThreadThatReceivedIt() {
        publish("tele/idle/SENSOR", "{\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}");

        // nothing was handed to the scheduler: the message was mapped (and acknowledged) before offer returned
        assertThat(deferred).isEmpty();
        assertThat(acks).hasValue(1);
        assertThat(core.runtime.accepted()).containsEntry("tasmota", 1L);
        assertThat(pipeline.queued()).isZero();
    }

    @Test
    void aBusyConnectionHandsOverAndMapsInlineAgainWhenTheLoadDrops() {
        long[] clock = {0};
        InboundPipeline p = pipeline(new LoadMeter(InboundPipeline.INLINE_BELOW, () -> clock[0]));
        byte[] payload = "{\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}".getBytes(StandardCharsets.UTF_8);
        // each message takes 1 ms of processing (the clock moves while it is mapped) and the next follows at once:
        // after a window of 100 ms the processing counts as busy
        Runnable ack = () -> {
            clock[0] += 1_000_000;
            acks.incrementAndGet();
        };
        int n = 0;
        while (deferred.isEmpty() && n < 1000) {
            p.offer("tele/b" + n + "/SENSOR", payload, ack);
            n++;
        }
        assertThat(n).as("messages mapped inline before the hand-over").isBetween(100, 102);
        assertThat(deferred).hasSize(1);
        p.offer("tele/b-queued/SENSOR", payload, ack);
        assertThat(p.queued()).isEqualTo(2);

        drain();
        assertThat(p.queued()).isZero();
        assertThat(acks).hasValue(n + 1);

        // a quiet second: the next window counts as idle, and the one after it maps inline again
        clock[0] += 1_000_000_000L;
        p.offer("tele/b-after/SENSOR", payload, ack);
        drain();
        p.offer("tele/b-inline/SENSOR", payload, ack);
        assertThat(deferred).isEmpty();
        assertThat(acks).hasValue(n + 3);
    }

    @Test
    void aFullQueueShedsWithACounter() {
        InboundPipeline pipeline = handingOver();
        for (int i = 0; i < 5; i++) {
            pipeline.offer("tele/q" + i + "/SENSOR", "{\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}"
                    .getBytes(StandardCharsets.UTF_8), acks::incrementAndGet);
        }
        assertThat(pipeline.queued()).isEqualTo(3);
        assertThat(core.runtime.rejected("tasmota", RejectReason.OVERLOADED)).isEqualTo(2);
        assertThat(acks).hasValue(2);
        drain();
        assertThat(acks).hasValue(5);
        assertThat(pipeline.queued()).isZero();
    }

    @Test
    void aFullQueueKeepsQosOneMessagesForTheirAcknowledgementInstead() {
        InboundPipeline pipeline = handingOver();
        for (int i = 0; i < 5; i++) {
            pipeline.offer("tele/k" + i + "/SENSOR", "{\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}"
                    .getBytes(StandardCharsets.UTF_8), 1, acks::incrementAndGet);
        }
        assertThat(pipeline.queued()).isEqualTo(5);
        assertThat(core.runtime.rejected("tasmota", RejectReason.OVERLOADED)).isZero();
        assertThat(acks).hasValue(0);
        drain();
        assertThat(acks).hasValue(5);
        for (int i = 0; i < 5; i++) {
            awaitTwin(ThingId.of("t", "tasmota-k" + i), "temperature", "value", JsonValue.of(21.5));
        }
    }

    @Test
    void deadLettersAreBounded() {
        for (int i = 0; i < 30; i++) {
            publish("zigbee2mqtt/x" + i, "garbage " + i);
            drain();
        }
        assertThat(core.runtime.rejected("zigbee2mqtt", RejectReason.MALFORMED_PAYLOAD)).isEqualTo(30);
        assertThat(core.runtime.deadLetters()).hasSize(20);
        assertThat(core.runtime.deadLetters().get(19).payloadExcerpt()).isEqualTo("garbage 29");
    }
}
