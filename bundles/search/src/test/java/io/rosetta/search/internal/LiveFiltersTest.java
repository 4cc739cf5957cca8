package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RQL {@code filter=} on the API's live streams, over real SSE and WebSocket connections: the filter is
 * evaluated against the twin after each change (a removed thing against its last state), with the search's
 * grammar and semantics.
 */
class LiveFiltersTest {

    private static final ThingId LAMP_1 = ThingId.of("org.example:lamp-1");
    private static final ThingId LAMP_2 = ThingId.of("org.example:lamp-2");
    private static final String KITCHEN = "eq(attributes/room,\"kitchen\")";
    private static final String LAMP_1_JSON =
            "{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"kitchen\"},\"features\":{\"light\":{\"properties\":{\"on\":false}}}}";

    @TempDir
    Path policyDir;
    private LiveStreamsServer server;

    @BeforeEach
    void start() throws Exception {
        server = new LiveStreamsServer(policyDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest sse(String query, String authorization) {
        return HttpRequest.newBuilder(server.uri("/api/2/things?" + query)).header("Accept", "text/event-stream")
                .header("Authorization", authorization).build();
    }

    private static JsonValue json(String text) {
        return Json.parse(text);
    }

    private void set(ThingId id, String path, String value) {
        server.registry.modify(id, JsonPointer.of(path), json(value), Precondition.none());
    }

    /** The changes the SSE and WebSocket tests make: which of them pass {@link #KITCHEN} is the point. */
    private void changeLamps() {
        server.create(LAMP_1_JSON); //                                       1 created in the kitchen: yes
        server.create(LAMP_1_JSON.replace("lamp-1", "lamp-2").replace("kitchen", "hall")); // created in the hall: no
        set(LAMP_1, "/features/light/properties/on", "true"); //     2 the change has no room, the twin after it has: yes
        set(LAMP_2, "/features/light/properties/on", "true"); //       no
        server.registry.merge(LAMP_2, JsonPointer.of("/attributes"), json("{\"room\":\"kitchen\"}"), Precondition.none()); // 3 moved in: yes
        set(LAMP_1, "/attributes/room", "\"hall\""); //                moved out: the twin after it is in the hall: no
        server.registry.delete(LAMP_1, JsonPointer.empty(), Precondition.none()); //    removed, last seen in the hall: no
        server.registry.delete(LAMP_2, JsonPointer.empty(), Precondition.none()); //  4 removed, last seen in the kitchen: yes
    }

    @Test
    void sseSendsTheChangesOfThingsThatMatchAfterTheChange() throws Exception {
        try (var stream = StreamClients.Sse.open(server.http, sse("filter=" + enc(KITCHEN), LiveStreamsServer.ALICE))) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            changeLamps();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() >= 4);
            // the last event matched is the last change: nothing else can still come
            assertThat(stream.events()).containsExactly(
                    Json.parseObject(LAMP_1_JSON),
                    Json.parseObject("{\"thingId\":\"org.example:lamp-1\",\"features\":{\"light\":{\"properties\":{\"on\":true}}}}"),
                    Json.parseObject("{\"thingId\":\"org.example:lamp-2\",\"attributes\":{\"room\":\"kitchen\"}}"),
                    Json.parseObject("{\"thingId\":\"org.example:lamp-2\",\"_deleted\":true}"));
        }
    }

    @Test
    void sseCombinesFilterNamespacesAndFieldsAndResumesWithTheFilter() throws Exception {
        String query = "namespaces=org.example&fields=thingId,features&filter="
                + enc("and(exists(features/env),gt(features/env/properties/temperature,20))");
        String lastId;
        try (var stream = StreamClients.Sse.open(server.http, sse(query, LiveStreamsServer.ALICE))) {
            server.create("{\"thingId\":\"org.other:hot\",\"features\":{\"env\":{\"properties\":{\"temperature\":30}}}}");
            server.create("{\"thingId\":\"org.example:cold\",\"features\":{\"env\":{\"properties\":{\"temperature\":10}}}}");
            server.create("{\"thingId\":\"org.example:warm\",\"features\":{\"env\":{\"properties\":{\"temperature\":25}}}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 1);
            assertThat(stream.events().get(0)).isEqualTo(
                    Json.parseObject("{\"thingId\":\"org.example:warm\",\"features\":{\"env\":{\"properties\":{\"temperature\":25}}}}"));
            lastId = stream.ids().get(0);
        }
        set(ThingId.of("org.example:cold"), "/features/env/properties/temperature", "21"); // now matches
        set(ThingId.of("org.example:warm"), "/features/env/properties/temperature", "19"); // no longer
        set(ThingId.of("org.other:hot"), "/features/env/properties/temperature", "31"); //   other namespace
        set(ThingId.of("org.example:cold"), "/attributes/label", "\"c\""); //                matches, but not a selected field
        set(ThingId.of("org.example:warm"), "/features/env/properties/temperature", "22"); // matches again
        HttpRequest resume = HttpRequest.newBuilder(sse(query, LiveStreamsServer.ALICE), (n, v) -> true).header("Last-Event-ID", lastId).build();
        try (var resumed = StreamClients.Sse.open(server.http, resume)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() >= 2);
            assertThat(resumed.events()).containsExactly(
                    Json.parseObject("{\"thingId\":\"org.example:cold\",\"features\":{\"env\":{\"properties\":{\"temperature\":21}}}}"),
                    Json.parseObject("{\"thingId\":\"org.example:warm\",\"features\":{\"env\":{\"properties\":{\"temperature\":22}}}}"));
        }
    }

    @Test
    void aFilterNeverWidensTheCallersGrants() throws Exception {
        try (var stream = StreamClients.Sse.open(server.http, sse("filter=" + enc("like(thingId,\"*\")"), LiveStreamsServer.BOB))) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            server.create("{\"thingId\":\"org.other:secret\"}");
            server.create("{\"thingId\":\"org.example:open\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() >= 1);
            assertThat(stream.events()).extracting(e -> ((JsonString) e.getOrNull("thingId")).value()).containsExactly("org.example:open");
        }
    }

    @Test
    void malformedFiltersAreRefusedWith400AndCounted() throws Exception {
        for (String bad : List.of("eq(attributes/room,\"kitchen\"", "eq(attributes/room,kitchen)", "between(attributes/n,1,2)")) {
            HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(sse("filter=" + enc(bad), LiveStreamsServer.ALICE), (n, v) -> true)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonObject error = Json.parseObject(r.body());
            assertThat(error.getOrNull("error")).isEqualTo(JsonString.of("things:filter.invalid"));
            assertThat(((JsonString) error.getOrNull("message")).value()).contains("at position");
        }
        assertThat(server.metrics.refusals(400, "things:filter.invalid")).isEqualTo(3);
        assertThat(server.metrics.sseOpened()).isZero();
    }

    @Test
    void withoutTheSearchAFilterIsRefusedAndWithItAgainAccepted() throws Exception {
        server.routes.unsetThingFilters(server.filters);
        HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(sse("filter=" + enc(KITCHEN), LiveStreamsServer.ALICE), (n, v) -> true)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(r.body()).getOrNull("error")).isEqualTo(JsonString.of("things:filter.notsupported"));
        assertThat(server.metrics.refusals(400, "things:filter.notsupported")).isEqualTo(1);

        server.routes.setThingFilters(server.filters);
        try (var stream = StreamClients.Sse.open(server.http, sse("filter=" + enc(KITCHEN), LiveStreamsServer.ALICE))) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            server.create("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"kitchen\"}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 1);
        }
    }

    @Test
    void webSocketSendsTheEventsOfThingsThatMatchAfterTheChange() throws Exception {
        try (var ws = StreamClients.Ws.connect(server, LiveStreamsServer.ALICE)) {
            ws.send("START-SEND-EVENTS?namespaces=org.example&filter=" + enc(KITCHEN));
            ws.awaitText("START-SEND-EVENTS:ACK");
            changeLamps();
            await().atMost(Duration.ofSeconds(10)).until(() -> ws.envelopes().size() >= 4);
            assertThat(ws.envelopes()).extracting(e -> StreamClients.Ws.string(e, "/topic") + " " + StreamClients.Ws.string(e, "/path"))
                    .containsExactly(
                            "org.example/lamp-1/things/twin/events/created /",
                            "org.example/lamp-1/things/twin/events/modified /features/light/properties/on",
                            "org.example/lamp-2/things/twin/events/merged /attributes",
                            "org.example/lamp-2/things/twin/events/deleted /");
        }
    }

    @Test
    void webSocketAnswersAMalformedFilterWithAnErrorEnvelopeAndStaysUsable() throws Exception {
        try (var ws = StreamClients.Ws.connect(server, LiveStreamsServer.ALICE)) {
            ws.send("START-SEND-EVENTS?correlation-id=f-1&filter=" + enc("and(eq(attributes/room,\"kitchen\")"));
            JsonObject refused = ws.awaitEnvelope(e -> "f-1".equals(StreamClients.Ws.string(e, "/headers/correlation-id")));
            assertThat(StreamClients.Ws.string(refused, "/topic")).isEqualTo("_/_/things/twin/errors");
            assertThat(StreamClients.Ws.string(refused, "/status")).isEqualTo("400");
            assertThat(StreamClients.Ws.string(refused, "/value/error")).isEqualTo("things:filter.invalid");
            assertThat(StreamClients.Ws.string(refused, "/value/message")).contains("at position");
            assertThat(ws.received).doesNotContain("START-SEND-EVENTS:ACK");
            assertThat(server.metrics.refusals(400, "things:filter.invalid")).isEqualTo(1);

            ws.send("START-SEND-EVENTS?filter=" + enc("gt(features/env/properties/temperature,20)"));
            ws.awaitText("START-SEND-EVENTS:ACK");
            server.create("{\"thingId\":\"org.example:cold\",\"features\":{\"env\":{\"properties\":{\"temperature\":10}}}}");
            server.create("{\"thingId\":\"org.example:warm\",\"features\":{\"env\":{\"properties\":{\"temperature\":25}}}}");
            JsonObject event = ws.awaitEnvelope(e -> StreamClients.Ws.string(e, "/topic").endsWith("/events/created"));
            assertThat(StreamClients.Ws.string(event, "/topic")).isEqualTo("org.example/warm/things/twin/events/created");
            assertThat(ws.envelopes()).hasSize(2);
        }
    }
}
