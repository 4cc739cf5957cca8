package io.rosetta.northbound.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.testing.MosquittoProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events made while the broker is away are published, in order, once it is back; a full queue drops the oldest, counted. */
class NorthboundOutageTest {

    private static final ThingId LAMP = ThingId.of("org.example:lamp-1");

    @TempDir
    Path dir;

    private static void level(Northbound wiring, int level) {
        wiring.registry.modify(LAMP, JsonPointer.of("/attributes/level"), Json.parse(String.valueOf(level)), Precondition.none());
    }

    @Test
    void eventsWaitForTheBrokerAndArePublishedInOrderWhenItIsBack() throws Exception {
        try (MosquittoProcess broker = MosquittoProcess.persistent(dir.resolve("broker")); Northbound wiring = new Northbound(dir.resolve("policy"))) {
            broker.start();
            String topic = "rosetta/org.example/lamp-1/things/twin/events/modified";
            // the application keeps its session on the broker, so that it gets what is published while it is away too
            new TestClient(broker.url(), "rosetta/#", "outage-app", false).close();
            MqttNorthbound northbound = wiring.start(Map.of("enabled", true, "url", broker.url(), "queue.capacity", 5));
            await().atMost(Duration.ofSeconds(10)).until(() -> northbound.state() == MqttNorthbound.State.CONNECTED);
            wiring.registry.create(Thing.fromJson(Json.parseObject("{\"thingId\":\"org.example:lamp-1\"}"), null));
            level(wiring, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> wiring.metrics.eventsPublished() == 2);

            broker.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> northbound.state() == MqttNorthbound.State.DOWN);
            // 7 changes into a queue of 5: the 2 oldest are dropped
            IntStream.rangeClosed(1, 7).forEach(i -> level(wiring, i));
            await().atMost(Duration.ofSeconds(10)).until(() -> wiring.metrics.eventsDropped() == 2);
            assertThat(northbound.queuedEvents()).isEqualTo(5);

            broker.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> northbound.state() == MqttNorthbound.State.CONNECTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> wiring.metrics.eventsPublished() == 7);
            try (TestClient app = new TestClient(broker.url(), "rosetta/#", "outage-app", false)) {
                app.awaitCount(topic, 6);
                assertThat(app.on(topic)).extracting(r -> r.json().getOrNull("value")).containsExactly(
                        Json.parse("0"), Json.parse("3"), Json.parse("4"), Json.parse("5"), Json.parse("6"), Json.parse("7"));
            }
            assertThat(northbound.queuedEvents()).isZero();
        }
    }
}
