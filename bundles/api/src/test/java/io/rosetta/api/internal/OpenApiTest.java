package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.internal.live.LiveEventLog;
import io.rosetta.api.internal.live.LiveMetrics;
import io.rosetta.api.internal.live.LiveRoutes;
import io.rosetta.api.internal.live.SseClient;
import io.rosetta.api.internal.wot.ModelThingDescriptions;
import io.rosetta.api.openapi.OpenApiContract;
import io.rosetta.api.openapi.OpenApiContract.Operation;
import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.model.Thing;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the implementation: every documented operation is called with the
 * document's own examples and answers with a documented success code and media type; without credentials with
 * its documented 401; for a missing thing with a documented code; and every method the document
 * does not list for a path is refused with 405. The event stream of {@code GET /api/2/things} is called as documented.
 */
class OpenApiTest {

    private static final String PLUG = """
            {"thingId":"org.example:plug-1","policyId":"org.example:plug-1","definition":"rosetta:smart-plug:1.0.0",\
            "attributes":{"location":{"room":"kitchen"}},\
            "features":{"switch":{"definition":["rosetta:switch:1.0.0"],"properties":{"on":true},"desiredProperties":{"on":false}}}}""";
    private static final String AUTH = ApiServer.basic(TestLoginModule.USER, TestLoginModule.PASSWORD);
    /** Values for the paths of the 405 checks, which have no operation and so no examples. */
    private static final Map<String, String> PLACEHOLDERS = Map.of("thingId", "org.example:plug-1", "featureId", "switch", "attributePath",
            "location/room", "propertyPath", "on", "modelId", "rosetta:switch:1.0.0");

    private ApiServer api;
    private InboxFixture inbox;
    private JsonObject doc;
    private OpenApiContract contract;

    @BeforeEach
    void start() throws Exception {
        ShippedModels models = new ShippedModels("switch-1.0.0.tm.jsonld", "energy-meter-1.0.0.tm.jsonld", "device-management-1.0.0.tm.jsonld",
                "smart-plug-1.0.0.tm.jsonld");
        api = new ApiServer(ApiSettings.DEFAULTS, new ModelThingDescriptions(models));
        inbox = new InboxFixture(api);
        doc = OpenApiContract.baseDocument();
        contract = new OpenApiContract(doc, api.uri("/"));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        inbox.close();
    }

    @Test
    void servesTheDocument() throws Exception {
        HttpResponse<String> r = api.get("/api/2/openapi.json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(Json.parse(r.body())).isEqualTo(doc);
        assertThat(string(doc, "openapi")).isEqualTo("3.0.3");
    }

    @Test
    void everyDocumentedOperationAnswersWithADocumentedSuccess() throws Exception {
        int operations = 0;
        for (Operation op : contract.operations()) {
            reset();
            HttpResponse<String> r = contract.send(contract.request(op, Map.of("thingId", "org.example:plug-1"), AUTH));
            assertThat(r.statusCode()).as(op.what() + ": " + r.body()).isBetween(200, 299);
            contract.assertDocumented(op, r);

            if (op.definition().getValue(JsonPointer.of("responses", "200", "content", "application/td+json")).isPresent()) {
                reset();
                HttpResponse<String> td = contract.send(contract.request(op, Map.of("thingId", "org.example:plug-1"), AUTH)
                        .header("Accept", "application/td+json"));
                assertThat(td.statusCode()).as(op.what() + " td: " + td.body()).isEqualTo(200);
                assertThat(td.headers().firstValue("Content-Type")).hasValue("application/td+json");
            }

            HttpResponse<String> anonymous = contract.send(contract.request(op, Map.of("thingId", "org.example:plug-1"), null));
            assertThat(anonymous.statusCode()).as(op.what()).isEqualTo(401);
            contract.assertDocumented(op, anonymous);
            operations++;
        }
        assertThat(operations).isEqualTo(56);
        assertThat(api.metrics.serverErrors()).isZero();
    }

    @Test
    void aMissingThingAnswersWithADocumentedCode() throws Exception {
        for (Operation op : contract.operations()) {
            if (!op.path().contains("{thingId}")) {
                continue;
            }
            reset();
            HttpResponse<String> r = contract.send(contract.request(op, Map.of("thingId", "org.example:missing"), AUTH));
            contract.assertDocumented(op, r);
            assertThat(r.statusCode()).as(op.what()).isIn(201, 404);
        }
    }

    @Test
    void methodsTheDocumentDoesNotListAre405() throws Exception {
        reset();
        assertThat(contract.assertUndocumentedMethodsRefused(PLACEHOLDERS, AUTH)).isEqualTo(44);
        assertThat(api.thing("org.example:plug-1").revision()).isEqualTo(1);
    }

    @Test
    void theThingsResourceAnswersAsADocumentedEventStream() throws Exception {
        LiveConfig config = ApiTestServer.liveConfig(100, 100, 16);
        api.addRoutes(new LiveRoutes(api.registry, api.authenticator, new LiveEventLog(api.registry, config), new LiveMetrics(), config));
        Operation retrieveThings = contract.operations().stream().filter(o -> o.what().equals("GET /api/2/things")).findFirst().orElseThrow();
        assertThat(retrieveThings.definition().getValue(JsonPointer.of("responses", "200", "content"))).get()
                .satisfies(c -> assertThat(c.asObject().keys()).containsExactly("application/json", "text/event-stream"));
        reset();

        try (SseClient sse = SseClient.open(HttpClient.newHttpClient(), contract.request(retrieveThings, Map.of(), AUTH)
                .header("Accept", "text/event-stream"))) {
            assertThat(sse.response.statusCode()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            contract.assertDocumented(retrieveThings, sse.response);

            assertThat(api.put("/api/2/things/org.example:plug-1/attributes/location/room", "\"hall\"").statusCode()).isEqualTo(204);
            await().until(() -> !sse.events().isEmpty());
            SseClient.Event event = sse.events().get(0);
            assertThat(event.id()).isNotBlank();
            assertThat(Json.parse(event.data())).isEqualTo(Json.parse("{\"thingId\":\"org.example:plug-1\",\"attributes\":{\"location\":{\"room\":\"hall\"}}}"));
        }

        // the same request without Accept: text/event-stream is answered by the things API, as JSON
        HttpResponse<String> json = contract.send(contract.request(retrieveThings, Map.of(), AUTH));
        assertThat(json.statusCode()).isEqualTo(200);
        contract.assertDocumented(retrieveThings, json);
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        HttpResponse<String> anonymous = contract.send(contract.request(retrieveThings, Map.of(), null).header("Accept", "text/event-stream"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private void reset() {
        for (Thing t : List.copyOf(api.registry.things())) {
            api.registry.delete(t.thingId(), JsonPointer.empty(), io.rosetta.core.registry.Precondition.none());
        }
        inbox.discover("org.example:plug-1"); // pending again (its twin was deleted): the inbox's operations have an entry
        api.create(PLUG);
    }

    private static String string(JsonObject o, String key) {
        return ((JsonString) o.get(key).orElseThrow()).value();
    }
}
