package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DittoWebSocketTest {

    private static final ThingId LAMP = ThingId.of("org.example:lamp-1");
    private LiveServer server;

    @BeforeEach
    void start() throws Exception {
        server = new LiveServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String command(String action, String path, String value, String correlationId) {
        return "{\"topic\":\"org.example/lamp-1/things/twin/commands/" + action + "\",\"headers\":{\"correlation-id\":\"" + correlationId
                + "\",\"response-required\":true},\"path\":\"" + path + "\"" + (value == null ? "" : ",\"value\":" + value) + "}";
    }

    private static int status(JsonObject envelope) {
        return (int) ((JsonNumber) envelope.getOrNull("status")).longValue();
    }

    private static String topic(JsonObject envelope) {
        return ((JsonString) envelope.getOrNull("topic")).value();
    }

    private static String error(JsonObject envelope) {
        return ((JsonString) envelope.getValue(JsonPointer.of("/value/error")).orElseThrow()).value();
    }

    private static JsonValue json(String text) {
        return Json.parse(text);
    }

    @Test
    void twinCommandsAndTheirResponses() throws Exception {
        try (WsClient ws = WsClient.connect(server)) {
            JsonObject created = ws.request(command("create", "/", "{\"attributes\":{\"room\":\"hall\"}}", "c-1"));
            assertThat(topic(created)).isEqualTo("org.example/lamp-1/things/twin/commands/create");
            assertThat(status(created)).isEqualTo(201);
            assertThat(created.getOrNull("path")).isEqualTo(JsonString.of("/"));
            assertThat(created.getOrNull("value")).isEqualTo(json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}"));

            JsonObject retrieved = ws.request(command("retrieve", "/", null, "c-2"));
            assertThat(status(retrieved)).isEqualTo(200);
            assertThat(retrieved.getOrNull("value")).isEqualTo(created.getOrNull("value"));

            JsonObject newAttribute = ws.request(command("modify", "/attributes/floor", "2", "c-3"));
            assertThat(status(newAttribute)).isEqualTo(201);
            assertThat(newAttribute.getOrNull("value")).isEqualTo(json("2"));
            JsonObject changed = ws.request(command("modify", "/attributes/floor", "3", "c-4"));
            assertThat(status(changed)).isEqualTo(204);
            assertThat(changed.contains("value")).isFalse();

            assertThat(status(ws.request(command("merge", "/", "{\"attributes\":{\"room\":null},\"features\":{\"light\":{\"properties\":{\"on\":true}}}}",
                    "c-5")))).isEqualTo(204);
            JsonObject light = ws.request(command("retrieve", "/features/light/properties/on", null, "c-6"));
            assertThat(light.getOrNull("value")).isEqualTo(json("true"));
            assertThat(light.getOrNull("path")).isEqualTo(JsonString.of("/features/light/properties/on"));

            JsonObject selected = ws.request("{\"topic\":\"org.example/lamp-1/things/twin/commands/retrieve\",\"headers\":{\"correlation-id\":\"c-7\"},"
                    + "\"path\":\"/\",\"fields\":\"thingId,attributes,_revision\"}");
            assertThat(selected.getOrNull("value")).isEqualTo(json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"floor\":3},\"_revision\":4}"));

            // modify on the root replaces the thing
            assertThat(status(ws.request(command("modify", "/", "{\"attributes\":{\"serial\":\"A-1\"}}", "c-8")))).isEqualTo(204);
            assertThat(server.registry.retrieve(LAMP).orElseThrow().toJson())
                    .isEqualTo(json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"serial\":\"A-1\"}}"));

            assertThat(status(ws.request(command("delete", "/attributes/serial", null, "c-9")))).isEqualTo(204);
            assertThat(status(ws.request(command("delete", "/", null, "c-10")))).isEqualTo(204);
            assertThat(server.registry.retrieve(LAMP)).isEmpty();
            assertThat(server.metrics.wsCommands()).isEqualTo(10);
        }
        await().until(() -> server.metrics.wsOpen() == 0);
    }

    @Test
    void preconditionsAndNoResponseWhenNoneIsRequired() throws Exception {
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        try (WsClient ws = WsClient.connect(server)) {
            JsonObject stale = ws.request("{\"topic\":\"org.example/lamp-1/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"p-1\","
                    + "\"if-match\":\"\\\"rev:7\\\"\"},\"path\":\"/attributes/a\",\"value\":1}");
            assertThat(status(stale)).isEqualTo(412);
            assertThat(error(stale)).isEqualTo("things:precondition.failed");
            JsonObject current = ws.request("{\"topic\":\"org.example/lamp-1/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"p-2\","
                    + "\"if-match\":\"\\\"rev:1\\\"\"},\"path\":\"/attributes/a\",\"value\":1}");
            assertThat(status(current)).isEqualTo(201);
            JsonObject exists = ws.request("{\"topic\":\"org.example/lamp-1/things/twin/commands/create\",\"headers\":{\"correlation-id\":\"p-3\"},"
                    + "\"path\":\"/\",\"value\":{}}");
            assertThat(status(exists)).isEqualTo(409);
            assertThat(topic(exists)).isEqualTo("org.example/lamp-1/things/twin/errors");

            ws.send("{\"topic\":\"org.example/lamp-1/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"p-4\",\"response-required\":false},"
                    + "\"path\":\"/attributes/b\",\"value\":2}");
            ws.request(command("retrieve", "/attributes/b", null, "p-5"));
            assertThat(ws.received).noneMatch(t -> t.contains("\"p-4\""));
            assertThat(server.registry.retrieve(LAMP).orElseThrow().attributes().orElseThrow().getOrNull("b")).isEqualTo(json("2"));
        }
    }

    @Test
    void badEnvelopesAreAnsweredWithDittoErrorsAndTheSocketStaysOpen() throws Exception {
        try (WsClient ws = WsClient.connect(server)) {
            ws.send("{not json");
            JsonObject notJson = ws.awaitMessage(m -> JsonString.of("json.invalid").equals(m.getValue(JsonPointer.of("/value/error")).orElse(null)));
            assertThat(status(notJson)).isEqualTo(400);
            assertThat(topic(notJson)).isEqualTo("_/_/things/twin/errors");

            JsonObject noTopic = ws.request("{\"headers\":{\"correlation-id\":\"e-1\"},\"path\":\"/\"}");
            assertThat(status(noTopic)).isEqualTo(400);
            assertThat(error(noTopic)).isEqualTo("things.protocol.adapter:envelope.invalid");

            JsonObject badTopic = ws.request("{\"topic\":\"org.example/lamp-1/policies/commands/retrieve\",\"headers\":{\"correlation-id\":\"e-2\"},\"path\":\"/\"}");
            assertThat(error(badTopic)).isEqualTo("things.protocol.adapter:unknown.topicpath");

            JsonObject live = ws.request("{\"topic\":\"org.example/lamp-1/things/live/commands/retrieve\",\"headers\":{\"correlation-id\":\"e-3\"},\"path\":\"/\"}");
            assertThat(error(live)).isEqualTo("things.protocol.adapter:unknown.command");

            JsonObject badPath = ws.request(command("retrieve", "/colour", null, "e-4"));
            assertThat(error(badPath)).isEqualTo("things.protocol.adapter:unknown.path");

            JsonObject badPointer = ws.request(command("retrieve", "/attributes//x", null, "e-5"));
            assertThat(error(badPointer)).isEqualTo("json.pointer.invalid");

            JsonObject missing = ws.request(command("retrieve", "/", null, "e-6"));
            assertThat(status(missing)).isEqualTo(404);
            assertThat(error(missing)).isEqualTo("things:thing.notfound");
            assertThat(topic(missing)).isEqualTo("org.example/lamp-1/things/twin/errors");

            JsonObject noValue = ws.request(command("modify", "/attributes/x", null, "e-7"));
            assertThat(error(noValue)).isEqualTo("things.protocol.adapter:envelope.invalid");

            JsonObject badThing = ws.request(command("create", "/", "{\"colour\":\"red\"}", "e-8"));
            assertThat(error(badThing)).isEqualTo("things:thing.invalid");

            JsonObject badId = ws.request("{\"topic\":\"org.example/bad\\u0001name/things/twin/commands/retrieve\",\"headers\":{\"correlation-id\":\"e-9\"},\"path\":\"/\"}");
            assertThat(error(badId)).isEqualTo("things:id.invalid");

            ws.send("START-SEND-LIVE-EVENTS?correlation-id=e-10");
            JsonObject unsupported = ws.awaitMessage(m -> "e-10".equals(WsClient.header(m, "correlation-id")));
            assertThat(error(unsupported)).isEqualTo("things.protocol.adapter:unknown.command");

            // still open and serving
            assertThat(status(ws.request(command("create", "/", "{}", "e-11")))).isEqualTo(201);
            assertThat(ws.isOpen()).isTrue();
            assertThat(server.metrics.refusals(400, "json.invalid")).isEqualTo(1);
            assertThat(server.metrics.refusals(404, "things:thing.notfound")).isEqualTo(1);
        }
    }

    @Test
    void eventsAfterStartSendEventsForTheSelectedNamespacesUntilStop() throws Exception {
        try (WsClient ws = WsClient.connect(server)) {
            ws.send("START-SEND-EVENTS?namespaces=org.example&extraFields=attributes%2Froom");
            ws.awaitText("START-SEND-EVENTS:ACK");

            server.create("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}");
            server.create("{\"thingId\":\"org.other:lamp-9\"}");
            server.registry.modify(LAMP, JsonPointer.of("/attributes/level"), json("5"), Precondition.none());
            server.registry.merge(LAMP, JsonPointer.of("/attributes"), json("{\"level\":null}"), Precondition.none());
            server.registry.delete(LAMP, JsonPointer.of("/attributes/room"), Precondition.none());

            await().until(() -> ws.received.size() == 5);
            JsonObject createdEvent = ws.withTopic("org.example/lamp-1/things/twin/events/created").get(0);
            assertThat(createdEvent.getOrNull("value")).isEqualTo(json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}"));
            assertThat(createdEvent.getOrNull("revision")).isEqualTo(json("1"));
            assertThat(createdEvent.getOrNull("path")).isEqualTo(JsonString.of("/"));
            assertThat(createdEvent.getOrNull("timestamp")).isInstanceOf(JsonString.class);
            assertThat(createdEvent.getOrNull("extra")).isEqualTo(json("{\"attributes\":{\"room\":\"hall\"}}"));

            JsonObject modified = ws.withTopic("org.example/lamp-1/things/twin/events/modified").get(0);
            assertThat(modified.getOrNull("path")).isEqualTo(JsonString.of("/attributes/level"));
            assertThat(modified.getOrNull("value")).isEqualTo(json("5"));
            assertThat(modified.getOrNull("revision")).isEqualTo(json("2"));
            JsonObject merged = ws.withTopic("org.example/lamp-1/things/twin/events/merged").get(0);
            assertThat(merged.getOrNull("value")).isEqualTo(json("{\"level\":null}"));
            JsonObject deleted = ws.withTopic("org.example/lamp-1/things/twin/events/deleted").get(0);
            assertThat(deleted.getOrNull("path")).isEqualTo(JsonString.of("/attributes/room"));
            assertThat(deleted.contains("value")).isFalse();
            assertThat(ws.received).noneMatch(t -> t.contains("org.other"));

            ws.send("STOP-SEND-EVENTS");
            ws.awaitText("STOP-SEND-EVENTS:ACK");
            server.registry.modify(LAMP, JsonPointer.of("/attributes/level"), json("6"), Precondition.none());
            // a command answered after the change shows that no event came in between
            ws.request(command("retrieve", "/attributes/level", null, "after-stop"));
            assertThat(ws.withTopic("org.example/lamp-1/things/twin/events/modified")).hasSize(1);
            assertThat(server.log.listeners()).isZero();
        }
    }

    @Test
    void unsupportedFiltersAreRefusedWithTheCorrelationId() throws Exception {
        try (WsClient ws = WsClient.connect(server)) {
            ws.send("START-SEND-EVENTS?correlation-id=f-1&filter=" + java.net.URLEncoder.encode("eq(attributes/room,\"hall\")", "UTF-8"));
            JsonObject refused = ws.awaitMessage(m -> "f-1".equals(WsClient.header(m, "correlation-id")));
            assertThat(status(refused)).isEqualTo(400);
            assertThat(error(refused)).isEqualTo("things:filter.notsupported");
            assertThat(ws.received).doesNotContain("START-SEND-EVENTS:ACK");
            ws.send("START-SEND-EVENTS?correlation-id=f-2&namespaces=bad%20namespace");
            assertThat(error(ws.awaitMessage(m -> "f-2".equals(WsClient.header(m, "correlation-id"))))).isEqualTo("things:id.invalid");
        }
    }

    @Test
    void theUpgradeNeedsCredentials() throws Exception {
        assertThatThrownBy(() -> server.http.newWebSocketBuilder().buildAsync(server.ws(), new WsClient()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> {
                            HttpResponse<?> r = e.getResponse();
                            assertThat(r.statusCode()).isEqualTo(401);
                            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"rosetta\"");
                        });
        assertThatThrownBy(() -> server.http.newWebSocketBuilder().header("Authorization", LiveServer.basic("admin", "wrong"))
                .buildAsync(server.ws(), new WsClient()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        assertThat(server.metrics.wsOpened()).isZero();
        assertThat(server.metrics.refusals(401, "gateway:authentication.failed")).isEqualTo(2);

        HttpResponse<String> plain = server.http.send(server.request("/ws/2").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("gateway:websocket.required");
    }

    @Test
    void tooManyPendingCommandsAreRefusedWith429() throws Exception {
        server.close();
        server = new LiveServer(100, 64, 1);
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        try (WsClient ws = WsClient.connect(server)) {
            for (int i = 0; i < 50; i++) {
                ws.send(command("modify", "/attributes/n", String.valueOf(i), "q-" + i));
            }
            await().until(() -> ws.received.size() == 50);
            long busy = ws.received.stream().map(Json::parseObject).filter(m -> status(m) == 429).count();
            long done = ws.received.stream().map(Json::parseObject).filter(m -> status(m) == 201 || status(m) == 204).count();
            assertThat(busy + done).isEqualTo(50);
            assertThat(done).isPositive();
            assertThat(server.metrics.refusals(429, "gateway:too.many.requests")).isEqualTo(busy);
        }
    }

    @Test
    void aSocketThatDoesNotReadItsEventsIsClosedWithoutHoldingUpOthers() throws Exception {
        server.close();
        server = new LiveServer(100, 256, 16);
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        java.util.List<String> stalledReceived = new java.util.concurrent.CopyOnWriteArrayList<>();
        // reads one message (the ACK), then never asks for more: the JDK client stops reading the socket
        java.net.http.WebSocket stalled = server.http.newWebSocketBuilder()
                .header("Authorization", LiveServer.basic(LiveServer.USER, LiveServer.PASSWORD))
                .buildAsync(server.ws(), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                        stalledReceived.add(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try (WsClient reader = WsClient.connect(server)) {
            stalled.sendText("START-SEND-EVENTS", true).join();
            reader.send("START-SEND-EVENTS");
            reader.awaitText("START-SEND-EVENTS:ACK");
            await().until(() -> stalledReceived.contains("START-SEND-EVENTS:ACK") && server.log.listeners() == 2);

            String payload = "x".repeat(4096);
            int writes = 3000;
            for (int i = 0; i < writes; i++) {
                server.registry.modify(LAMP, JsonPointer.of("/attributes/blob"), JsonString.of(payload + i), Precondition.none());
                if (i % 100 == 99) {
                    int expected = i + 2;
                    await().pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(5)).atMost(java.time.Duration.ofSeconds(20)).until(() -> reader.received.size() == expected);
                }
            }
            await().atMost(java.time.Duration.ofSeconds(20)).until(() -> server.metrics.wsSlowClosed() == 1);
            assertThat(server.metrics.wsOpen()).isEqualTo(1);
            assertThat(server.log.listeners()).isEqualTo(1);
            assertThat(reader.withTopic("org.example/lamp-1/things/twin/events/modified")).hasSize(writes);
            assertThat(server.registry.stats().eventsDropped()).isZero();
        } finally {
            stalled.abort();
        }
    }

    @Test
    void messagesAboveTheLimitAreRefusedWith413AndTheSocketStaysOpen() throws Exception {
        try (WsClient ws = WsClient.connect(server)) {
            // the JDK client sends this in 16 kB frames; the limit applies to the whole message
            String big = "x".repeat(300 * 1024);
            ws.send(command("create", "/", "{\"attributes\":{\"big\":\"" + big + "\"}}", "big-1"));
            JsonObject refused = ws.awaitMessage(m -> m.getValue(JsonPointer.of("/value/error")).isPresent());
            assertThat(status(refused)).isEqualTo(413);
            assertThat(error(refused)).isEqualTo("things:thing.toolarge");
            assertThat(server.registry.retrieve(LAMP)).isEmpty();

            String fits = "x".repeat(200 * 1024);
            JsonObject created = ws.request(command("create", "/", "{\"attributes\":{\"big\":\"" + fits + "\"}}", "big-2"));
            assertThat(status(created)).isEqualTo(201);
            assertThat(server.metrics.refusals(413, "things:thing.toolarge")).isEqualTo(1);
        }
    }
}
