package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input is a 4xx with a Ditto-style error body, counted by status and error code,
 * and leaves the twin exactly as it was.
 */
class BadInputTest {

    private static final String LAMP = """
            {"thingId":"org.example:lamp-1","attributes":{"vendor":"Acme"},"features":{"light":{"properties":{"on":false}}}}""";
    private static final String PATH = "/api/2/things/org.example:lamp-1";

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(new ApiSettings("org.example", 1024), null);
        api.create(LAMP);
    }

    @AfterEach
    void stop() {
        api.close();
        // bad input is never a server error
        assertThat(api.metrics.serverErrors()).isZero();
    }

    @Test
    void invalidJsonIs400JsonInvalid() throws Exception {
        HttpResponse<String> r = api.put(PATH, "{\"attributes\":{\"vendor\":\"Other\"");

        assertRefused(r, 400, "json.invalid");
        assertThat(Json.parseObject(r.body()).get("message").orElseThrow().toString()).startsWith("\"Failed to parse JSON string: ");
        assertRefused(api.put(PATH + "/attributes/vendor", "Other"), 400, "json.invalid");
        assertRefused(api.patch(PATH, "{\"attributes\":{}} trailing"), 400, "json.invalid");
        assertRefused(api.put(PATH + "/attributes/deep", "[".repeat(100) + "]".repeat(100)), 400, "json.invalid");
        assertRefused(api.put(PATH + "/attributes/vendor", ""), 400, "json.invalid");
        assertUnchanged();
        assertThat(api.metrics.refusals(400, "json.invalid")).isEqualTo(5);
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        HttpResponse<String> text = api.send(api.request(PATH + "/attributes/vendor").header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("\"Other\"")));
        assertRefused(text, 415, "mediatype.unsupported");
        assertThat(text.body()).isEqualTo("{\"status\":415,\"error\":\"mediatype.unsupported\","
                + "\"message\":\"The Media-Type <text/plain> is not supported for this resource.\","
                + "\"description\":\"Allowed Media-Type is: <application/json>.\"}");

        // PATCH needs application/merge-patch+json, as in Ditto
        HttpResponse<String> json = api.send(api.request(PATH).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"attributes\":{\"vendor\":\"Other\"}}")));
        assertRefused(json, 415, "mediatype.unsupported");
        assertThat(json.body()).contains("Allowed Media-Type is: <application/merge-patch+json>.");
        HttpResponse<String> none = api.send(api.request(PATH).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"attributes\":{}}")));
        assertRefused(none, 415, "mediatype.unsupported");
        assertThat(none.body()).contains("The Content-Type header was empty or not present.");

        assertRefused(api.send(api.request("/api/2/things").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b"))), 415, "mediatype.unsupported");
        // parameters of the media type are fine
        assertThat(api.send(api.request(PATH + "/attributes/vendor").header("Content-Type", "application/json; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString("\"Acme\""))).statusCode()).isEqualTo(204);
        assertThat(api.metrics.refusals(415, "mediatype.unsupported")).isEqualTo(4);
    }

    @Test
    void invalidIdsAre400() throws Exception {
        assertRefused(api.get("/api/2/things/no-namespace"), 400, "things:id.invalid");
        assertRefused(api.put("/api/2/things/9bad.ns:x", "{}"), 400, "things:id.invalid");
        assertRefused(api.put("/api/2/things/org.example:" + "x".repeat(300), "{}"), 400, "things:id.invalid");
        assertRefused(api.put("/api/2/things/org.example:a%2Fb", "{}"), 400, "things:id.invalid");
        assertRefused(api.put("/api/2/things/org.example:a%01b", "{}"), 400, "things:id.invalid");
        assertRefused(api.put(PATH + "/features/bad%2Fid", "{}"), 400, "things:thing.invalid");
        assertRefused(api.put(PATH, "{\"thingId\":\"org.example:other\"}"), 400, "things:thing.invalid");
        assertRefused(api.get("/api/2/things?ids=org.example:lamp-1,bad"), 400, "things:id.invalid");
        assertThat(api.registry.size()).isEqualTo(1);
        assertUnchanged();
    }

    @Test
    void badJsonPointersAre400() throws Exception {
        assertRefused(api.put(PATH + "/attributes/a//b", "1"), 400, "json.pointer.invalid");
        assertRefused(api.put(PATH + "/attributes/a/", "1"), 400, "json.pointer.invalid");
        assertRefused(api.put(PATH + "/attributes/a~2b", "1"), 400, "json.pointer.invalid");
        assertRefused(api.get(PATH + "/features/light/properties/x~"), 400, "json.pointer.invalid");
        assertRefused(api.delete(PATH + "/features//properties"), 400, "json.pointer.invalid");
        assertRefused(api.get(PATH + "?fields=features(light"), 400, "json.fieldselector.invalid");
        assertRefused(api.get(PATH + "/attributes?fields=a//b"), 400, "json.fieldselector.invalid");
        // a value below a non-object cannot be set
        assertRefused(api.put(PATH + "/attributes/vendor/name", "1"), 400, "things:thing.invalid");
        assertUnchanged();
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        String big = "{\"attributes\":{\"blob\":\"" + "x".repeat(2000) + "\"}}";
        HttpResponse<String> r = api.put(PATH, big);

        assertRefused(r, 413, "things:thing.toolarge");
        assertThat(r.body()).contains("exceeds the maximal allowed request size of '1.0' kB");
        assertRefused(api.patch(PATH, big), 413, "things:thing.toolarge");
        assertRefused(api.post("/api/2/things", big), 413, "things:thing.toolarge");
        assertThat(api.registry.size()).isEqualTo(1);
        assertUnchanged();
    }

    @Test
    void unknownFieldsAndWrongShapesAre400() throws Exception {
        assertRefused(api.put(PATH, "{\"attributes\":{},\"colour\":\"red\"}"), 400, "things:thing.invalid");
        assertRefused(api.patch(PATH, "{\"colour\":\"red\"}"), 400, "things:thing.invalid");
        assertRefused(api.put(PATH + "/features/light", "{\"props\":{}}"), 400, "things:thing.invalid");
        assertRefused(api.put(PATH + "/features/light/definition", "\"not-an-array\""), 400, "things:thing.invalid");
        assertRefused(api.put(PATH + "/attributes", "\"not-an-object\""), 400, "things:thing.invalid");
        assertRefused(api.put(PATH + "/policyId", "42"), 400, "things:thing.invalid");
        assertRefused(api.put(PATH, "[1,2]"), 400, "things:thing.invalid");
        assertRefused(api.post("/api/2/things", "null"), 400, "things:thing.invalid");
        assertThat(api.registry.size()).isEqualTo(1);
        assertUnchanged();
    }

    @Test
    void unsupportedMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> post = api.post(PATH, "{}");
        assertRefused(post, 405, "gateway:method.notallowed");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT, PATCH, DELETE");

        HttpResponse<String> policy = api.delete(PATH + "/policyId");
        assertRefused(policy, 405, "gateway:method.notallowed");
        assertThat(policy.headers().firstValue("Allow")).hasValue("GET, PUT");

        HttpResponse<String> collection = api.put("/api/2/things", "{}");
        assertRefused(collection, 405, "gateway:method.notallowed");
        assertThat(collection.headers().firstValue("Allow")).hasValue("GET, POST");

        assertRefused(api.delete("/api/2/models"), 405, "gateway:method.notallowed");
        assertRefused(api.post("/api/2/openapi.json", "{}"), 405, "gateway:method.notallowed");
        assertThat(api.metrics.refusals()).containsEntry("405 gateway:method.notallowed", 5L);
        assertUnchanged();
    }

    @Test
    void unknownResourcesAre404() throws Exception {
        assertRefused(api.get(PATH + "/colour"), 404, "gateway:resource.notfound");
        assertRefused(api.put(PATH + "/features/light/colour", "1"), 404, "gateway:resource.notfound");
        assertRefused(api.get(PATH + "/definition/x"), 404, "gateway:resource.notfound");
        assertRefused(api.get("/api/2/thingsandmore"), 404, "gateway:resource.notfound");
        assertUnchanged();
    }

    @Test
    void queryParametersDoNotPassForHeaders() throws Exception {
        // platform-http copies query parameters into the message headers; the API reads the request's own headers
        HttpResponse<String> noCredentials = api.send(HttpRequest.newBuilder(api.uri(PATH + "?Authorization="
                + java.net.URLEncoder.encode(ApiServer.basic(TestLoginModule.USER, TestLoginModule.PASSWORD), java.nio.charset.StandardCharsets.UTF_8))));
        assertRefused(noCredentials, 401, "gateway:authentication.failed");

        assertThat(api.send(api.request(PATH + "?If-Match=%22rev:9%22").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(204);
        assertThat(api.get(PATH + "?Accept=application/td%2Bjson").headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(api.send(api.request(PATH + "/attributes/vendor?Content-Type=text/plain").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("\"Acme\""))).statusCode()).isEqualTo(204);
        assertThat(api.metrics.refusals()).isEqualTo(Map.of("401 gateway:authentication.failed", 1L));
    }

    @Test
    void refusalsAreCountedByStatusAndError() throws Exception {
        api.put(PATH, "{");
        api.put(PATH, "{");
        api.get("/api/2/things/org.example:nope");

        assertThat(api.metrics.refusals()).isEqualTo(Map.of("400 json.invalid", 2L, "404 things:thing.notfound", 1L));
        assertThat(api.metrics.clientErrors()).isEqualTo(3);
    }

    private void assertRefused(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ApiServer.error(r)).isEqualTo(error);
        assertThat(Json.parseObject(r.body()).keys()).containsExactly("status", "error", "message", "description");
    }

    private void assertUnchanged() {
        assertThat(api.thing("org.example:lamp-1").revision()).isEqualTo(1);
        assertThat(api.thing("org.example:lamp-1").toJson().toString()).isEqualTo(Json.parseObject(LAMP).toString());
    }
}
