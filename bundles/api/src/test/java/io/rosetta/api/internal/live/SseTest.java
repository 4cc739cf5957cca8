package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SseTest {

    private static final ThingId LAMP = ThingId.of("org.example:lamp-1");
    private LiveServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonValue json(String text) {
        return Json.parse(text);
    }

    private static List<JsonValue> parsed(List<String> data) {
        return data.stream().map(Json::parse).toList();
    }

    @Test
    void streamsTheChangedPartOfEachThingOfTheSelectedNamespaces() throws Exception {
        server = new LiveServer();
        try (SseClient sse = SseClient.open(server, "/api/2/things?namespaces=org.example", null)) {
            assertThat(sse.response.statusCode()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            await().until(() -> server.log.listeners() == 1);

            server.create("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}");
            server.create("{\"thingId\":\"org.other:lamp-9\"}");
            server.registry.modify(LAMP, JsonPointer.of("/features/light"), json("{\"properties\":{\"on\":true}}"), Precondition.none());
            server.registry.merge(LAMP, JsonPointer.of("/attributes"), json("{\"room\":\"kitchen\",\"floor\":2}"), Precondition.none());
            server.registry.delete(LAMP, JsonPointer.of("/attributes/floor"), Precondition.none());
            server.registry.delete(LAMP, JsonPointer.empty(), Precondition.none());

            await().atMost(Duration.ofSeconds(10)).until(() -> sse.events().size() == 5);
            assertThat(parsed(sse.data())).containsExactly(
                    json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}"),
                    json("{\"thingId\":\"org.example:lamp-1\",\"features\":{\"light\":{\"properties\":{\"on\":true}}}}"),
                    json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"kitchen\",\"floor\":2}}"),
                    json("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"floor\":null}}"),
                    json("{\"thingId\":\"org.example:lamp-1\",\"_deleted\":true}"));
            List<Long> ids = sse.events().stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        }
        await().until(() -> server.metrics.sseOpen() == 0 && server.log.listeners() == 0);
    }

    @Test
    void fieldsSelectFromTheChangeAndSkipChangesOutsideTheSelection() throws Exception {
        server = new LiveServer();
        server.create("{\"thingId\":\"org.example:lamp-1\",\"features\":{\"light\":{}}}");
        try (SseClient sse = SseClient.open(server, "/api/2/things?ids=org.example:lamp-1&fields=thingId,_revision,features/light/properties", null)) {
            await().until(() -> server.log.listeners() == 1);
            server.registry.modify(LAMP, JsonPointer.of("/attributes/room"), json("\"hall\""), Precondition.none());
            server.registry.modify(LAMP, JsonPointer.of("/features/light/properties/on"), json("true"), Precondition.none());
            server.create("{\"thingId\":\"org.example:lamp-2\",\"features\":{\"light\":{\"properties\":{\"on\":false}}}}");
            server.registry.modify(LAMP, JsonPointer.of("/features/light/properties/level"), json("40"), Precondition.none());

            await().until(() -> sse.events().size() == 2);
            assertThat(parsed(sse.data())).containsExactly(
                    json("{\"thingId\":\"org.example:lamp-1\",\"_revision\":3,\"features\":{\"light\":{\"properties\":{\"on\":true}}}}"),
                    json("{\"thingId\":\"org.example:lamp-1\",\"_revision\":4,\"features\":{\"light\":{\"properties\":{\"level\":40}}}}"));
        }
    }

    @Test
    void requestsWithoutEventStreamPassOnToTheThingsApi() throws Exception {
        server = new LiveServer();
        HttpResponse<String> r = server.http.send(server.request("/api/2/things?ids=org.example:lamp-1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(LiveServer.THINGS_ROUTE_BODY);
    }

    @Test
    void refusesWithoutCredentialsAndWithUnsupportedOrBadParameters() throws Exception {
        server = new LiveServer();
        HttpResponse<String> anonymous = server.http.send(java.net.http.HttpRequest.newBuilder(server.uri("/api/2/things"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"rosetta\"");
        assertThat(error(anonymous)).isEqualTo("gateway:authentication.failed");

        HttpResponse<String> wrong = server.http.send(java.net.http.HttpRequest.newBuilder(server.uri("/api/2/things"))
                .header("Accept", "text/event-stream").header("Authorization", LiveServer.basic("admin", "nope"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        assertRefused("/api/2/things?filter=eq(attributes/room,%22hall%22)", null, 400, "things:filter.notsupported");
        assertRefused("/api/2/things?fields=features(light", null, 400, "json.fieldselector.invalid");
        assertRefused("/api/2/things?namespaces=bad%20ns", null, 400, "things:id.invalid");
        assertRefused("/api/2/things?ids=no-colon", null, 400, "things:id.invalid");
        assertRefused("/api/2/things", "not-a-number", 400, "things:lastEventId.invalid");
        assertThat(server.metrics.refusals(401, "gateway:authentication.failed")).isEqualTo(2);
        assertThat(server.metrics.refusals(400, "things:filter.notsupported")).isEqualTo(1);
        assertThat(server.metrics.sseOpened()).isZero();
    }

    private void assertRefused(String path, String lastEventId, int status, String error) throws Exception {
        var request = server.sse(path).timeout(Duration.ofSeconds(10));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<String> r = server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(status);
        assertThat(error(r)).as(path).isEqualTo(error);
    }

    private static String error(HttpResponse<String> r) {
        return ((JsonString) Json.parseObject(r.body()).getOrNull("error")).value();
    }

    @Test
    void lastEventIdResumesWithTheEventsMissedInBetween() throws Exception {
        server = new LiveServer();
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        String lastId;
        try (SseClient sse = SseClient.open(server, "/api/2/things?namespaces=org.example", null)) {
            await().until(() -> server.log.listeners() == 1);
            setLevel(1);
            setLevel(2);
            await().until(() -> sse.events().size() == 2);
            lastId = sse.events().get(1).id();
        }
        await().until(() -> server.log.listeners() == 0);
        setLevel(3);
        server.create("{\"thingId\":\"org.other:x\"}");
        setLevel(4);
        setLevel(5);

        try (SseClient resumed = SseClient.open(server, "/api/2/things?namespaces=org.example", lastId)) {
            await().until(() -> resumed.events().size() == 3);
            setLevel(6);
            await().until(() -> resumed.events().size() == 4);
            assertThat(resumed.data()).map(d -> Json.parseObject(d).getValue(JsonPointer.of("/attributes/level")).orElseThrow())
                    .containsExactly(json("3"), json("4"), json("5"), json("6"));
            assertThat(resumed.events()).allSatisfy(e -> assertThat(Long.parseLong(e.id())).isGreaterThan(Long.parseLong(lastId)));
        }
        assertThat(server.metrics.sseResumed()).isEqualTo(1);
        assertThat(server.metrics.sseGaps()).isZero();
    }

    @Test
    void anIdOlderThanTheEventsKeptIsAGapThenTheStreamGoesOnLive() throws Exception {
        server = new LiveServer(4, 4096, 16);
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        String firstId;
        try (SseClient sse = SseClient.open(server, "/api/2/things", null)) {
            await().until(() -> server.log.listeners() == 1);
            setLevel(1);
            await().until(() -> sse.events().size() == 1);
            firstId = sse.events().get(0).id();
        }
        await().until(() -> server.log.listeners() == 0);
        for (int i = 2; i <= 7; i++) {
            setLevel(i);
        }
        try (SseClient resumed = SseClient.open(server, "/api/2/things", firstId)) {
            await().until(() -> server.log.listeners() == 1);
            setLevel(8);
            await().until(() -> resumed.events().size() == 2);
            SseClient.Event gap = resumed.events().get(0);
            assertThat(gap.type()).isEqualTo("gap");
            assertThat(gap.id()).isNull();
            assertThat(Json.parseObject(gap.data()).getOrNull("lastEventId")).isEqualTo(JsonString.of(firstId));
            assertThat(Json.parseObject(resumed.events().get(1).data()).getValue(JsonPointer.of("/attributes/level"))).hasValue(json("8"));
        }
        // an id this server never issued (an earlier run) is a gap too
        try (SseClient old = SseClient.open(server, "/api/2/things", "12345")) {
            await().until(() -> old.events().size() == 1);
            assertThat(old.events().get(0).type()).isEqualTo("gap");
        }
        assertThat(server.metrics.sseGaps()).isEqualTo(2);
    }

    @Test
    void eventsRightAfterAWriteWaitForTheLingerAndComeTogetherInOrder() throws Exception {
        server = new LiveServer(10_000, 4096, 16, 700);
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        try (SseClient sse = SseClient.open(server, "/api/2/things?namespaces=org.example", null)) {
            await().until(() -> server.log.listeners() == 1);
            setLevel(0);
            await().atMost(Duration.ofSeconds(2)).until(() -> sse.events().size() == 1);
            for (int level = 1; level <= 10; level++) {
                setLevel(level);
            }
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> sse.events().size() == 1);
            await().atMost(Duration.ofSeconds(2)).until(() -> sse.events().size() == 11);
            assertThat(sse.data()).map(d -> Json.parseObject(d).getValue(JsonPointer.of("/attributes/level")).orElseThrow())
                    .containsExactly(json("0"), json("1"), json("2"), json("3"), json("4"), json("5"), json("6"), json("7"), json("8"),
                            json("9"), json("10"));
        }
    }

    @Test
    void aClientThatDoesNotReadIsDisconnectedWithoutHoldingUpWritesOrOtherClients() throws Exception {
        server = new LiveServer(100, 256, 16);
        server.create("{\"thingId\":\"org.example:lamp-1\"}");
        try (Socket stalled = new Socket();
                SseClient reader = SseClient.open(server, "/api/2/things", null)) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/2/things HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nAuthorization: "
                    + LiveServer.basic(LiveServer.USER, LiveServer.PASSWORD) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().until(() -> server.log.listeners() == 2);

            // 3000 events of 4 kB: far more than the socket buffers and the stalled client's 256 events of buffer hold
            String payload = "x".repeat(4096);
            int writes = 3000;
            long writeNanos = 0;
            for (int i = 0; i < writes; i++) {
                long t = System.nanoTime();
                server.registry.modify(LAMP, JsonPointer.of("/attributes/blob"), JsonString.of(payload + i), Precondition.none());
                writeNanos += System.nanoTime() - t;
                if (i % 100 == 99) {
                    int expected = i + 1;
                    // the reading client keeps up (its backlog stays below its buffer)
                    await().pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(5)).atMost(Duration.ofSeconds(20)).until(() -> reader.events().size() == expected);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> server.metrics.sseSlowClosed() == 1);
            assertThat(reader.events()).hasSize(writes);
            assertThat(server.metrics.sseOpen()).isEqualTo(1);
            assertThat(server.log.listeners()).isEqualTo(1);
            assertThat(server.registry.stats().eventsDropped()).isZero();
            assertThat(writeNanos / 1_000_000).as("ms spent in 3000 writes").isLessThan(5_000);
            // the stalled client's stream was cut: reading it ends after what the socket buffers held
            InputStream in = stalled.getInputStream();
            stalled.setSoTimeout(10_000);
            byte[] chunk = new byte[64 * 1024];
            long read = 0;
            for (int n; (n = readOrReset(in, chunk)) >= 0; ) {
                read += n;
            }
            assertThat(read).isLessThan((long) writes * 4096);
        }
    }

    /** Reads, treating a reset connection as its end. */
    private static int readOrReset(InputStream in, byte[] chunk) throws java.io.IOException {
        try {
            return in.read(chunk);
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private void setLevel(int level) {
        server.registry.modify(LAMP, JsonPointer.of("/attributes/level"), json(String.valueOf(level)), Precondition.none());
    }
}
