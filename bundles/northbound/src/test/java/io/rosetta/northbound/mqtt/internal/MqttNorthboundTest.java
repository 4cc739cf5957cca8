package io.rosetta.northbound.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import io.rosetta.security.AccessLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The northbound against the real Mosquitto on 127.0.0.1:1883, under a topic prefix of its own per test. */
class MqttNorthboundTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";
    private static final ThingId LAMP = ThingId.of("org.example:lamp-1");

    @TempDir
    Path policyDir;
    private Northbound wiring;
    private TestClient app;
    private String prefix;

    @BeforeEach
    void start() throws Exception {
        prefix = "rosetta-test-" + UUID.randomUUID();
        wiring = new Northbound(policyDir);
        app = new TestClient(BROKER, prefix + "/#");
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        wiring.close();
    }

    private MqttNorthbound connected(Map<String, Object> more) {
        var config = new java.util.HashMap<String, Object>(Map.of("enabled", true, "url", BROKER, "topic.prefix", prefix,
                "client.id", "rosetta-" + UUID.randomUUID()));
        config.putAll(more);
        MqttNorthbound northbound = wiring.start(config);
        await().atMost(Duration.ofSeconds(10)).until(() -> northbound.state() == MqttNorthbound.State.CONNECTED);
        return northbound;
    }

    private Thing createLamp() {
        return wiring.registry.create(Thing.fromJson(Json.parseObject(
                "{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"},\"features\":{\"light\":{\"properties\":{\"on\":false}}}}"), null));
    }

    private static String command(String correlationId, String authorization, String action, String path, String value) {
        JsonObject.Builder headers = JsonObject.newBuilder().set("correlation-id", correlationId);
        if (authorization != null) {
            headers.set("authorization", authorization);
        }
        JsonObject.Builder b = JsonObject.newBuilder().set("topic", "org.example/lamp-1/things/twin/commands/" + action)
                .set("headers", headers.build()).set("path", path);
        if (value != null) {
            b.set("value", Json.parse(value));
        }
        return Json.write(b.build());
    }

    private String token(String name, String namespace, AccessLevel level) {
        String secret = wiring.policy.create(name, null, null).secret();
        if (namespace != null) {
            wiring.policy.grant("token:" + name, namespace, level);
        }
        return secret;
    }

    private JsonValue on() {
        return wiring.registry.retrieve(LAMP).orElseThrow().toJson().getValue(JsonPointer.of("/features/light/properties/on")).orElseThrow();
    }

    @Test
    void publishesEachTwinEventAsADittoEnvelopeOnItsThingsTopic() throws Exception {
        connected(Map.of("namespaces", "org.example"));
        createLamp();
        wiring.registry.modify(LAMP, JsonPointer.of("/features/light/properties/on"), Json.parse("true"), Precondition.none());
        wiring.registry.merge(LAMP, JsonPointer.of("/attributes"), Json.parse("{\"floor\":2}"), Precondition.none());
        wiring.registry.create(Thing.fromJson(Json.parseObject("{\"thingId\":\"org.other:lamp-9\"}"), null));
        wiring.registry.delete(LAMP, JsonPointer.empty(), Precondition.none());

        String base = prefix + "/org.example/lamp-1/things/twin/events/";
        app.awaitCount(base + "deleted", 1);
        JsonObject created = app.on(base + "created").get(0).json();
        assertThat(TestClient.string(created, "/topic")).isEqualTo("org.example/lamp-1/things/twin/events/created");
        assertThat(TestClient.string(created, "/path")).isEqualTo("/");
        assertThat(TestClient.string(created, "/value/attributes/room")).isEqualTo("hall");
        assertThat(TestClient.string(created, "/revision")).isEqualTo("1");
        JsonObject modified = app.on(base + "modified").get(0).json();
        assertThat(TestClient.string(modified, "/path")).isEqualTo("/features/light/properties/on");
        assertThat(modified.getOrNull("value")).isEqualTo(Json.parse("true"));
        assertThat(TestClient.string(modified, "/revision")).isEqualTo("2");
        assertThat(TestClient.string(modified, "/timestamp")).isNotBlank();
        JsonObject merged = app.on(base + "merged").get(0).json();
        assertThat(TestClient.string(merged, "/headers/content-type")).isEqualTo("application/merge-patch+json");
        assertThat(TestClient.string(app.on(base + "deleted").get(0).json(), "/revision")).isEqualTo("4");
        // every event of the thing, in order, and none of the namespace that is not published
        assertThat(app.received).extracting(TestClient.Received::topic)
                .containsExactly(base + "created", base + "modified", base + "merged", base + "deleted");
        assertThat(wiring.metrics.eventsPublished()).isEqualTo(4);
    }

    @Test
    void aModifyCommandWithAValidTokenChangesTheTwinAndIsAnswered204() throws Exception {
        connected(Map.of());
        createLamp();
        String secret = token("app-1", "org.example", AccessLevel.WRITE);
        app.publish(prefix + "/commands/app-1", command("c-1", "Bearer " + secret, "modify", "/features/light/properties/on", "true"));

        JsonObject response = app.response(prefix + "/responses/app-1", "c-1");
        assertThat(TestClient.string(response, "/status")).isEqualTo("204");
        assertThat(TestClient.string(response, "/topic")).isEqualTo("org.example/lamp-1/things/twin/commands/modify");
        assertThat(TestClient.string(response, "/path")).isEqualTo("/features/light/properties/on");
        assertThat(TestClient.string(response, "/headers/authorization")).isNull();
        assertThat(on()).isEqualTo(Json.parse("true"));
        // the change is an event like any other
        app.awaitCount(prefix + "/org.example/lamp-1/things/twin/events/modified", 1);

        // a retrieve with a READ token is answered 200 with the value
        String reader = token("reader", "org.example", AccessLevel.READ);
        app.publish(prefix + "/commands/app-2", command("c-2", "Bearer " + reader, "retrieve", "/attributes/room", null));
        JsonObject retrieved = app.response(prefix + "/responses/app-2", "c-2");
        assertThat(TestClient.string(retrieved, "/status")).isEqualTo("200");
        assertThat(TestClient.string(retrieved, "/value")).isEqualTo("hall");
    }

    @Test
    void commandsWithoutAValidTokenAre401AndOutsideTheGrants403AndChangeNothing() throws Exception {
        connected(Map.of());
        createLamp();
        String reader = token("reader", "org.example", AccessLevel.READ);
        String elsewhere = token("elsewhere", "org.other", AccessLevel.WRITE);
        String revoked = token("revoked", "org.example", AccessLevel.WRITE);
        wiring.policy.revoke("revoked");
        String topic = prefix + "/commands/app-1";
        String responses = prefix + "/responses/app-1";
        String change = "/features/light/properties/on";

        app.publish(topic, command("none", null, "modify", change, "true"));
        app.publish(topic, command("wrong", "Bearer rst_not-a-token", "modify", change, "true"));
        app.publish(topic, command("revoked", "Bearer " + revoked, "modify", change, "true"));
        app.publish(topic, command("basic", "Basic YWRtaW46c2VjcmV0", "modify", change, "true"));
        app.publish(topic, command("reader", "Bearer " + reader, "modify", change, "true"));
        app.publish(topic, command("elsewhere", "Bearer " + elsewhere, "modify", change, "true"));

        for (String id : new String[] {"none", "wrong", "revoked", "basic"}) {
            JsonObject r = app.response(responses, id);
            assertThat(TestClient.string(r, "/status")).as(id).isEqualTo("401");
            assertThat(TestClient.string(r, "/topic")).as(id).isEqualTo("org.example/lamp-1/things/twin/errors");
            assertThat(TestClient.string(r, "/value/error")).as(id).isEqualTo("gateway:authentication.failed");
        }
        for (String id : new String[] {"reader", "elsewhere"}) {
            JsonObject r = app.response(responses, id);
            assertThat(TestClient.string(r, "/status")).as(id).isEqualTo("403");
            assertThat(TestClient.string(r, "/value/error")).as(id).isEqualTo("things:thing.notmodifiable");
        }
        assertThat(on()).isEqualTo(Json.parse("false"));
        assertThat(wiring.registry.retrieve(LAMP).orElseThrow().revision()).isEqualTo(1);
        assertThat(wiring.metrics.refusals(401, "gateway:authentication.failed")).isEqualTo(4);
        assertThat(wiring.metrics.refusals(403, "things:thing.notmodifiable")).isEqualTo(2);
        assertThat(app.received).noneMatch(r -> r.topic().endsWith("/events/modified"));
    }

    @Test
    void badMessagesAreAnsweredWithErrorsAndTheChannelKeepsWorking() throws Exception {
        connected(Map.of("max.command.bytes", 2048));
        createLamp();
        String secret = token("app-1", "org.example", AccessLevel.WRITE);
        String topic = prefix + "/commands/app-1";
        String responses = prefix + "/responses/app-1";

        app.publish(topic, "{\"topic\":\"org.example/lamp-1/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"j-1\"},");
        app.publish(topic, "{\"topic\":\"nonsense\",\"headers\":{\"correlation-id\":\"t-1\",\"authorization\":\"Bearer " + secret + "\"}}");
        app.publish(topic, command("big", "Bearer " + secret, "modify", "/attributes/blob", "\"" + "x".repeat(4096) + "\""));
        app.publish(topic, command("p-1", "Bearer " + secret, "modify", "/nowhere/x", "1"));
        app.publish(topic, command("ok", "Bearer " + secret, "merge", "/attributes", "{\"floor\":3}"));

        assertThat(app.await(r -> r.topic().equals(responses) && r.text().contains("json.invalid")).json().getOrNull("status"))
                .isEqualTo(Json.parse("400"));
        assertThat(TestClient.string(app.response(responses, "t-1"), "/value/error")).isEqualTo("things.protocol.adapter:unknown.topicpath");
        assertThat(TestClient.string(app.await(r -> r.topic().equals(responses) && r.text().contains("\"status\":413")).json(), "/value/error"))
                .isEqualTo("things:thing.toolarge");
        assertThat(TestClient.string(app.response(responses, "p-1"), "/status")).isEqualTo("400");
        assertThat(TestClient.string(app.response(responses, "ok"), "/status")).isEqualTo("204");
        assertThat(wiring.registry.retrieve(LAMP).orElseThrow().revision()).isEqualTo(2);
        assertThat(wiring.metrics.refusals(400, "json.invalid")).isEqualTo(1);
        assertThat(wiring.metrics.refusals(413, "things:thing.toolarge")).isEqualTo(1);
        assertThat(wiring.metrics.commandsReceived()).isEqualTo(5);
    }

    @Test
    void offByDefaultAndAnInvalidConfigurationConnectsNothing() throws Exception {
        MqttNorthbound off = wiring.start(Map.of("topic.prefix", prefix));
        assertThat(off.state()).isEqualTo(MqttNorthbound.State.OFF);
        createLamp();
        assertThat(wiring.supervisor.openConnections()).isZero();
        off.close();

        for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(Map.of("enabled", true, "topic.prefix", "a/+/b"),
                Map.of("enabled", true, "url", "http://127.0.0.1:1883"), Map.of("enabled", true, "qos", 3),
                Map.of("enabled", true, "namespaces", "not a namespace"))) {
            MqttNorthbound invalid = wiring.start(bad);
            assertThat(invalid.state()).as(bad.toString()).isEqualTo(MqttNorthbound.State.INVALID);
            assertThat(invalid.problem()).as(bad.toString()).isNotBlank();
            invalid.close();
        }
        assertThat(wiring.supervisor.openConnections()).isZero();
        assertThat(app.received).isEmpty();
    }
}
