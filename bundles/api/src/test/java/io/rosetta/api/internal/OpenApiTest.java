package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.internal.wot.ModelThingDescriptions;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the implementation: every documented operation is called with the
 * document's own examples and answers with a documented success code; without credentials with
 * its documented 401; for a missing thing with a documented code; and every method the document
 * does not list for a path is refused with 405.
 */
class OpenApiTest {

    private static final String PLUG = """
            {"thingId":"org.example:plug-1","policyId":"org.example:plug-1","definition":"rosetta:smart-plug:1.0.0",\
            "attributes":{"location":{"room":"kitchen"}},\
            "features":{"switch":{"definition":["rosetta:switch:1.0.0"],"properties":{"on":true},"desiredProperties":{"on":false}}}}""";
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");

    private ApiServer api;
    private InboxFixture inbox;
    private JsonObject doc;

    @BeforeEach
    void start() throws Exception {
        ShippedModels models = new ShippedModels("switch-1.0.0.tm.jsonld", "energy-meter-1.0.0.tm.jsonld", "device-management-1.0.0.tm.jsonld",
                "smart-plug-1.0.0.tm.jsonld");
        api = new ApiServer(ApiSettings.DEFAULTS, new ModelThingDescriptions(models));
        inbox = new InboxFixture(api);
        doc = Json.parseObject(new String(resource(), java.nio.charset.StandardCharsets.UTF_8));
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
        for (String path : doc.get("paths").orElseThrow().asObject().keys()) {
            JsonObject item = object(doc, "paths", path);
            for (String method : item.keys()) {
                JsonObject op = item.get(method).orElseThrow().asObject();
                Set<String> documented = Set.copyOf(op.get("responses").orElseThrow().asObject().keys());
                String what = method.toUpperCase() + " " + path;

                reset();
                HttpResponse<String> r = api.send(request(path, op, method, "org.example:plug-1", true));
                assertThat(r.statusCode()).as(what + ": " + r.body()).isBetween(200, 299);
                assertThat(documented).as(what).contains(String.valueOf(r.statusCode()));

                if (op.getValue(JsonPointer.of("responses", "200", "content", "application/td+json")).isPresent()) {
                    reset();
                    HttpResponse<String> td = api.send(request(path, op, method, "org.example:plug-1", true).header("Accept", "application/td+json"));
                    assertThat(td.statusCode()).as(what + " td: " + td.body()).isEqualTo(200);
                    assertThat(td.headers().firstValue("Content-Type")).hasValue("application/td+json");
                }

                HttpResponse<String> anonymous = api.send(request(path, op, method, "org.example:plug-1", false));
                assertThat(anonymous.statusCode()).as(what).isEqualTo(401);
                assertThat(documented).as(what).contains("401");
                operations++;
            }
        }
        assertThat(operations).isEqualTo(56);
        assertThat(api.metrics.serverErrors()).isZero();
    }

    @Test
    void aMissingThingAnswersWithADocumentedCode() throws Exception {
        for (String path : doc.get("paths").orElseThrow().asObject().keys()) {
            if (!path.contains("{thingId}")) {
                continue;
            }
            JsonObject item = object(doc, "paths", path);
            for (String method : item.keys()) {
                JsonObject op = item.get(method).orElseThrow().asObject();
                reset();
                HttpResponse<String> r = api.send(request(path, op, method, "org.example:missing", true));
                assertThat(op.get("responses").orElseThrow().asObject().keys()).as(method + " " + path).contains(String.valueOf(r.statusCode()));
                assertThat(r.statusCode()).as(method + " " + path).isIn(201, 404);
            }
        }
    }

    @Test
    void methodsTheDocumentDoesNotListAre405() throws Exception {
        reset();
        int checked = 0;
        for (String path : doc.get("paths").orElseThrow().asObject().keys()) {
            JsonObject item = object(doc, "paths", path);
            for (String method : METHODS) {
                if (item.contains(method)) {
                    continue;
                }
                HttpRequest.Builder b = api.request(fill(path, JsonObject.empty(), "org.example:plug-1"))
                        .header("Content-Type", method.equals("patch") ? "application/merge-patch+json" : "application/json")
                        .method(method.toUpperCase(), HttpRequest.BodyPublishers.ofString("{}"));
                HttpResponse<String> r = api.send(b);
                assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(44);
        assertThat(api.thing("org.example:plug-1").revision()).isEqualTo(1);
    }

    private void reset() {
        for (Thing t : List.copyOf(api.registry.things())) {
            api.registry.delete(t.thingId(), JsonPointer.empty(), io.rosetta.core.registry.Precondition.none());
        }
        inbox.discover("org.example:plug-1"); // pending again (its twin was deleted): the inbox's operations have an entry
        api.create(PLUG);
    }

    private HttpRequest.Builder request(String path, JsonObject op, String method, String thingId, boolean authenticated) {
        String url = fill(path, op, thingId);
        HttpRequest.Builder b = authenticated ? api.request(url) : HttpRequest.newBuilder(api.uri(url));
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (op.contains("requestBody")) {
            JsonObject content = op.getValue(JsonPointer.of("requestBody", "content")).orElseThrow().asObject();
            String mediaType = content.keyAt(0);
            JsonValue example = content.valueAt(0).asObject().get("example").orElseThrow();
            b.header("Content-Type", mediaType);
            body = HttpRequest.BodyPublishers.ofString(Json.write(example));
        }
        return b.method(method.toUpperCase(), body);
    }

    /** The path with each parameter replaced by its documented example, and required query parameters added. */
    private String fill(String path, JsonObject op, String thingId) {
        String url = path;
        List<String> query = new ArrayList<>();
        for (JsonValue p : op.get("parameters").map(JsonValue::asArray).orElse(io.rosetta.core.json.JsonArray.empty())) {
            JsonObject parameter = resolve(p.asObject());
            String name = string(parameter, "name");
            String in = string(parameter, "in");
            String example = parameter.get("example").map(v -> ((JsonString) v).value()).orElse(null);
            if (in.equals("path")) {
                url = url.replace("{" + name + "}", name.equals("thingId") ? thingId : example);
            } else if (in.equals("query") && parameter.get("required").map(v -> v.toString().equals("true")).orElse(false)) {
                query.add(name + "=" + example);
            }
        }
        // the methods test fills paths without an operation
        url = url.replace("{thingId}", thingId).replace("{featureId}", "switch").replace("{attributePath}", "location/room")
                .replace("{propertyPath}", "on").replace("{modelId}", "rosetta:switch:1.0.0");
        return query.isEmpty() ? url : url + "?" + String.join("&", query);
    }

    private JsonObject resolve(JsonObject maybeRef) {
        return maybeRef.get("$ref").map(r -> doc.getValue(JsonPointer.of(((JsonString) r).value().substring(2))).orElseThrow().asObject())
                .orElse(maybeRef);
    }

    private static JsonObject object(JsonObject o, String... path) {
        return o.getValue(JsonPointer.of(path)).orElseThrow().asObject();
    }

    private static String string(JsonObject o, String key) {
        return ((JsonString) o.get(key).orElseThrow()).value();
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = ThingsRoutes.class.getResourceAsStream("openapi.json")) {
            return in.readAllBytes();
        }
    }
}
