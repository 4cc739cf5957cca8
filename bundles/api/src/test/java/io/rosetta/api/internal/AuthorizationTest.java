package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.internal.live.LiveEventLog;
import io.rosetta.api.internal.live.LiveMetrics;
import io.rosetta.api.internal.live.LiveRoutes;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.security.AccessLevel;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication (Basic and Bearer) and authorization by namespace on every kind of path: a thing, a
 * sub-resource, the ids list, writes, SSE and the WebSocket (upgrade, events, commands).
 */
class AuthorizationTest {

    private ApiServer server;
    private LiveEventLog log;
    private String reader;
    private String writer;
    private String nobody;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer();
        LiveConfig config = new LiveConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LiveConfig.class;
            }

            @Override
            public int live_resume_events() {
                return 100;
            }

            @Override
            public int live_client_buffer() {
                return 100;
            }

            @Override
            public int live_ws_max_pending() {
                return 16;
            }

            @Override
            public int live_ws_max_message_bytes() {
                return 65_536;
            }
        };
        log = new LiveEventLog(server.registry, config);
        server.addRoutes(new LiveRoutes(server.registry, server.authenticator, log, new LiveMetrics(), config));
        server.create("{\"thingId\":\"org.a:t1\",\"attributes\":{\"n\":1}}");
        server.create("{\"thingId\":\"org.b:t2\",\"attributes\":{\"n\":2}}");
        reader = "Bearer " + server.policy.create("reader", null, null).secret();
        writer = "Bearer " + server.policy.create("writer", "wanda", null).secret();
        nobody = "Bearer " + server.policy.create("nobody", null, null).secret();
        server.policy.grant("token:reader", "org.a", AccessLevel.READ);
        // the writer token acts for the user wanda, whose grant applies to it
        server.policy.grant("wanda", "org.a", AccessLevel.WRITE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> as(String authorization, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutValidCredentialsEveryPathIs401() throws Exception {
        for (String auth : new String[] {null, "Bearer rst_" + "x".repeat(43), "Bearer ", "Digest abc"}) {
            for (String path : List.of("/api/2/things/org.a:t1", "/api/2/things/org.a:t1/attributes/n", "/api/2/things?ids=org.a:t1")) {
                HttpResponse<String> r = as(auth, "GET", path, null);
                assertThat(r.statusCode()).as(auth + " " + path).isEqualTo(401);
                assertThat(ApiServer.error(r)).isEqualTo("gateway:authentication.failed");
                assertThat(r.body()).doesNotContain("\"n\"");
            }
            assertThat(as(auth, "PUT", "/api/2/things/org.a:t1/attributes/n", "5").statusCode()).isEqualTo(401);
            assertThat(sse(auth, "/api/2/things").statusCode()).isEqualTo(401);
            assertThat(wsRefusal(auth)).isEqualTo(401);
        }
        assertThat(server.thing("org.a:t1").toJson().toString()).contains("\"n\":1");
    }

    @Test
    void aBearerTokenWorksUntilItIsRevoked() throws Exception {
        assertThat(as(reader, "GET", "/api/2/things/org.a:t1", null).statusCode()).isEqualTo(200);
        assertThat(server.policy.revoke("reader")).isTrue();
        HttpResponse<String> revoked = as(reader, "GET", "/api/2/things/org.a:t1", null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked");
    }

    @Test
    void readingNeedsReadOnTheNamespaceAndUnreadableThingsDoNotExist() throws Exception {
        assertThat(Json.parse(as(reader, "GET", "/api/2/things/org.a:t1/attributes/n", null).body())).isEqualTo(Json.parse("1"));
        HttpResponse<String> hidden = as(reader, "GET", "/api/2/things/org.b:t2", null);
        HttpResponse<String> missing = as(reader, "GET", "/api/2/things/org.b:missing", null);
        assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(ApiServer.error(hidden)).isEqualTo("things:thing.notfound").isEqualTo(ApiServer.error(missing));
        assertThat(hidden.body()).doesNotContain("\"n\"");
        HttpResponse<String> sub = as(reader, "GET", "/api/2/things/org.b:t2/attributes/n", null);
        assertThat(sub.statusCode()).isEqualTo(404);
        assertThat(ApiServer.error(sub)).isEqualTo("things:thing.notfound");
        // the ids list silently leaves out what the caller may not read
        HttpResponse<String> list = as(reader, "GET", "/api/2/things?ids=org.a:t1,org.b:t2&fields=thingId", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.parse(list.body())).isEqualTo(Json.parse("[{\"thingId\":\"org.a:t1\"}]"));
        // the administrator reads both
        assertThat(Json.parse(server.get("/api/2/things?ids=org.a:t1,org.b:t2&fields=thingId").body()))
                .isEqualTo(Json.parse("[{\"thingId\":\"org.a:t1\"},{\"thingId\":\"org.b:t2\"}]"));
    }

    @Test
    void writingNeedsWriteOnTheNamespace() throws Exception {
        for (String[] w : List.of(new String[] {"PUT", "/api/2/things/org.a:t1/attributes/n", "5"},
                new String[] {"PATCH", "/api/2/things/org.a:t1", "{\"attributes\":{\"n\":5}}"},
                new String[] {"DELETE", "/api/2/things/org.a:t1/attributes/n", null},
                new String[] {"PUT", "/api/2/things/org.a:new", "{}"},
                new String[] {"POST", "/api/2/things", "{}"})) {
            HttpResponse<String> r = as(reader, w[0], w[1], w[2]);
            assertThat(r.statusCode()).as(w[0] + " " + w[1]).isEqualTo(403);
            assertThat(ApiServer.error(r)).isEqualTo("things:thing.notmodifiable");
        }
        assertThat(server.registry.retrieve(io.rosetta.core.model.ThingId.of("org.a:new"))).isEmpty();
        assertThat(as(writer, "PUT", "/api/2/things/org.a:t1/attributes/n", "7").statusCode()).isEqualTo(204);
        assertThat(server.thing("org.a:t1").toJson().toString()).contains("\"n\":7");
        // WRITE on org.a is nothing on org.b, whether the thing exists or not
        assertThat(as(writer, "PUT", "/api/2/things/org.b:t2/attributes/n", "7").statusCode()).isEqualTo(403);
        assertThat(as(writer, "DELETE", "/api/2/things/org.b:t2", null).statusCode()).isEqualTo(403);
        assertThat(as(writer, "PUT", "/api/2/things/org.b:other", "{}").statusCode()).isEqualTo(403);
        assertThat(server.thing("org.b:t2").toJson().toString()).contains("\"n\":2");
        // a revoked grant applies to the next request
        server.policy.revoke("wanda", "org.a");
        assertThat(as(writer, "PUT", "/api/2/things/org.a:t1/attributes/n", "8").statusCode()).isEqualTo(403);
    }

    @Test
    void aCallerWithoutAnyGrantIsForbiddenOnListsAndStreams() throws Exception {
        HttpResponse<String> list = as(nobody, "GET", "/api/2/things?ids=org.a:t1", null);
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(ApiServer.error(list)).isEqualTo("gateway:access.forbidden");
        assertThat(as(nobody, "GET", "/api/2/things/org.a:t1", null).statusCode()).isEqualTo(404);
        HttpResponse<String> stream = sse(nobody, "/api/2/things");
        assertThat(stream.statusCode()).isEqualTo(403);
        assertThat(wsRefusal(nobody)).isEqualTo(403);
    }

    @Test
    void anEventStreamOnlyCarriesReadableThings() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Void>> stream = http.sendAsync(HttpRequest.newBuilder(server.uri("/api/2/things"))
                .header("Authorization", reader).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(collector(lines)));
        await().until(() -> lines.contains(":"));
        server.put("/api/2/things/org.b:t2/attributes/n", "20");
        server.put("/api/2/things/org.a:t1/attributes/n", "10");
        await().until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ") && l.contains("org.a:t1")));
        // events reach a client in order: the org.b change came first and was left out
        assertThat(lines).noneMatch(l -> l.contains("org.b"));
        // the grant is checked per event: once revoked, org.a's events stop too
        server.policy.revoke("token:reader", "org.a");
        server.policy.grant("token:reader", "org.b", AccessLevel.READ);
        server.put("/api/2/things/org.a:t1/attributes/n", "11");
        server.put("/api/2/things/org.b:t2/attributes/n", "21");
        await().until(() -> lines.stream().anyMatch(l -> l.contains("org.b:t2")));
        assertThat(lines).noneMatch(l -> l.startsWith("data: ") && l.contains("\"n\":11"));
        stream.cancel(true);
    }

    @Test
    void aWebSocketOnlyCarriesReadableThingsAndChecksEachCommand() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", reader)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/2"), textCollector(received)).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("START-SEND-EVENTS", true).join();
            await().until(() -> received.contains("START-SEND-EVENTS:ACK"));
            server.put("/api/2/things/org.b:t2/attributes/n", "20");
            server.put("/api/2/things/org.a:t1/attributes/n", "10");
            await().until(() -> received.stream().anyMatch(t -> t.contains("org.a/t1/things/twin/events")));
            assertThat(received).noneMatch(t -> t.contains("org.b"));

            ws.sendText("{\"topic\":\"org.b/t2/things/twin/commands/retrieve\",\"headers\":{\"correlation-id\":\"c1\"},\"path\":\"/\"}", true).join();
            JsonObject hidden = response(received, "c1");
            assertThat(hidden.getOrNull("status").toString()).isEqualTo("404");
            assertThat(hidden.toString()).contains("things:thing.notfound").doesNotContain("\"n\"");

            ws.sendText("{\"topic\":\"org.a/t1/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"c2\"},"
                    + "\"path\":\"/attributes/n\",\"value\":99}", true).join();
            JsonObject refused = response(received, "c2");
            assertThat(refused.getOrNull("status").toString()).isEqualTo("403");
            assertThat(server.thing("org.a:t1").toJson().toString()).contains("\"n\":10");

            ws.sendText("{\"topic\":\"_/_/things/twin/commands/retrieve\",\"headers\":{\"correlation-id\":\"c3\"},\"path\":\"/\","
                    + "\"value\":{\"thingIds\":[\"org.a:t1\",\"org.b:t2\"]}}", true).join();
            JsonObject some = response(received, "c3");
            assertThat(some.getOrNull("status").toString()).isEqualTo("200");
            assertThat(((JsonArray) some.getOrNull("value")).size()).isEqualTo(1);
            assertThat(some.toString()).contains("org.a:t1").doesNotContain("org.b:t2");
        } finally {
            ws.abort();
        }
    }

    private static JsonObject response(List<String> received, String correlationId) {
        await().until(() -> received.stream().anyMatch(t -> t.startsWith("{") && t.contains("\"" + correlationId + "\"")));
        return Json.parseObject(received.stream().filter(t -> t.startsWith("{") && t.contains("\"" + correlationId + "\"")).findFirst().orElseThrow());
    }

    private HttpResponse<String> sse(String authorization, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status with which the server refuses the WebSocket upgrade. */
    private int wsRefusal(String authorization) throws Exception {
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            b.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/2"), new WebSocket.Listener() {
            }).get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static Flow.Subscriber<String> collector(List<String> lines) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                lines.add(line);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        };
    }

    private static WebSocket.Listener textCollector(List<String> received) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
    }
}
