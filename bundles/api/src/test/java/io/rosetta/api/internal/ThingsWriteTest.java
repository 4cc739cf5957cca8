package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creating, replacing, merging and deleting things and their sub-resources over HTTP, with Ditto's codes and headers. */
class ThingsWriteTest {

    private static final String LAMP = """
            {"thingId":"org.example:lamp-1","policyId":"org.example:policy",\
            "attributes":{"vendor":"Acme","location":{"room":"lab"}},\
            "features":{"light":{"properties":{"on":false,"level":10}}}}""";

    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer();
        api.create(LAMP);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void postCreatesAThingWithAGeneratedIdInTheDefaultNamespace() throws Exception {
        HttpResponse<String> r = api.post("/api/2/things", "{\"attributes\":{\"vendor\":\"Acme\"}}");

        assertThat(r.statusCode()).isEqualTo(201);
        String id = api.object(r).get("thingId").orElseThrow().toString().replace("\"", "");
        assertThat(id).matches("default:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(r.body()).isEqualTo("{\"thingId\":\"" + id + "\",\"attributes\":{\"vendor\":\"Acme\"}}");
        assertThat(r.headers().firstValue("Location")).hasValue("/api/2/things/" + id);
        assertThat(r.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        assertThat(api.get("/api/2/things/" + id).body()).isEqualTo(r.body());

        // an empty body creates an empty thing, as in Ditto
        HttpResponse<String> empty = api.send(api.request("/api/2/things").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(empty.statusCode()).isEqualTo(201);
        assertThat(api.registry.size()).isEqualTo(3);
    }

    @Test
    void postRefusesAThingIdInTheBody() throws Exception {
        HttpResponse<String> r = api.post("/api/2/things", "{\"thingId\":\"org.example:mine\"}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(ApiServer.error(r)).isEqualTo("things:id.notsettable");
        assertThat(api.registry.size()).isEqualTo(1);
    }

    @Test
    void putCreatesWith201ThenUpdatesWith204() throws Exception {
        HttpResponse<String> created = api.put("/api/2/things/org.example:plug-9", "{\"attributes\":{\"vendor\":\"Plugs\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"thingId\":\"org.example:plug-9\",\"attributes\":{\"vendor\":\"Plugs\"}}");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/2/things/org.example:plug-9");
        assertThat(created.headers().firstValue("ETag")).hasValue("\"rev:1\"");

        HttpResponse<String> updated = api.put("/api/2/things/org.example:plug-9", "{\"thingId\":\"org.example:plug-9\",\"definition\":\"acme:plug:1.0.0\"}");
        assertThat(updated.statusCode()).isEqualTo(204);
        assertThat(updated.body()).isEmpty();
        assertThat(updated.headers().firstValue("ETag")).hasValue("\"rev:2\"");
        // as Ditto documents it: the top-level fields in the body replace the thing's, the others stay
        assertThat(api.get("/api/2/things/org.example:plug-9").body())
                .isEqualTo("{\"thingId\":\"org.example:plug-9\",\"definition\":\"acme:plug:1.0.0\",\"attributes\":{\"vendor\":\"Plugs\"}}");
    }

    @Test
    void putReplacesTopLevelFieldsWholeAndNullRemovesOne() throws Exception {
        assertThat(api.put("/api/2/things/org.example:lamp-1", "{\"attributes\":{\"serial\":\"42\"},\"policyId\":null}").statusCode())
                .isEqualTo(204);

        assertThat(api.get("/api/2/things/org.example:lamp-1").body()).isEqualTo("""
                {"thingId":"org.example:lamp-1","attributes":{"serial":"42"},\
                "features":{"light":{"properties":{"on":false,"level":10}}}}""");
    }

    @Test
    void patchMergesAndNullDeletes() throws Exception {
        HttpResponse<String> r = api.patch("/api/2/things/org.example:lamp-1",
                "{\"attributes\":{\"location\":null,\"serial\":\"42\"},\"features\":{\"light\":{\"properties\":{\"on\":true}}}}");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("ETag")).hasValue("\"rev:2\"");
        assertThat(api.get("/api/2/things/org.example:lamp-1").body()).isEqualTo("""
                {"thingId":"org.example:lamp-1","policyId":"org.example:policy",\
                "attributes":{"vendor":"Acme","serial":"42"},\
                "features":{"light":{"properties":{"on":true,"level":10}}}}""");

        assertThat(api.patch("/api/2/things/org.example:lamp-1/features/light/properties/level", "55").statusCode()).isEqualTo(204);
        assertThat(api.get("/api/2/things/org.example:lamp-1/features/light/properties").body()).isEqualTo("{\"on\":true,\"level\":55}");

        HttpResponse<String> missing = api.patch("/api/2/things/org.example:nope", "{\"attributes\":{}}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(ApiServer.error(missing)).isEqualTo("things:thing.notfound");
    }

    @Test
    void deleteRemovesTheThing() throws Exception {
        HttpResponse<String> r = api.delete("/api/2/things/org.example:lamp-1");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(api.get("/api/2/things/org.example:lamp-1").statusCode()).isEqualTo(404);
        assertThat(ApiServer.error(api.delete("/api/2/things/org.example:lamp-1"))).isEqualTo("things:thing.notfound");
    }

    @Test
    void attributesAndAttributePaths() throws Exception {
        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes").body()).isEqualTo("{\"vendor\":\"Acme\",\"location\":{\"room\":\"lab\"}}");
        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes/location/room").body()).isEqualTo("\"lab\"");
        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes?fields=vendor").body()).isEqualTo("{\"vendor\":\"Acme\"}");

        HttpResponse<String> created = api.put("/api/2/things/org.example:lamp-1/attributes/location/floor", "3");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("3");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/2/things/org.example:lamp-1/attributes/location/floor");
        assertThat(created.headers().firstValue("ETag")).hasValue("\"rev:2\"");

        HttpResponse<String> modified = api.put("/api/2/things/org.example:lamp-1/attributes/location/floor", "4");
        assertThat(modified.statusCode()).isEqualTo(204);
        assertThat(modified.headers().firstValue("ETag")).hasValue("\"rev:3\"");

        assertThat(api.patch("/api/2/things/org.example:lamp-1/attributes", "{\"vendor\":null,\"serial\":\"7\"}").statusCode()).isEqualTo(204);
        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes").body())
                .isEqualTo("{\"location\":{\"room\":\"lab\",\"floor\":4},\"serial\":\"7\"}");

        assertThat(api.delete("/api/2/things/org.example:lamp-1/attributes/location").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = api.get("/api/2/things/org.example:lamp-1/attributes/location");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo("{\"status\":404,\"error\":\"things:attribute.notfound\","
                + "\"message\":\"The attribute with key '/location' on the Thing with ID 'org.example:lamp-1' could not be found or the requester had insufficient permissions to access it.\","
                + "\"description\":\"Check if the ID of your requested Thing was correct, you have sufficient permissions and ensure that the attribute key is correctly spelled.\"}");

        assertThat(api.delete("/api/2/things/org.example:lamp-1/attributes").statusCode()).isEqualTo(204);
        assertThat(ApiServer.error(api.get("/api/2/things/org.example:lamp-1/attributes"))).isEqualTo("things:attributes.notfound");
        assertThat(api.put("/api/2/things/org.example:lamp-1/attributes", "{\"a\":1}").statusCode()).isEqualTo(201);
        assertThat(api.put("/api/2/things/org.example:lamp-1/attributes", "{\"b\":2}").statusCode()).isEqualTo(204);
        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes").body()).isEqualTo("{\"b\":2}");
    }

    @Test
    void attributeKeysAreJsonPointersAndPercentDecoded() throws Exception {
        assertThat(api.put("/api/2/things/org.example:lamp-1/attributes/a~1b", "1").statusCode()).isEqualTo(201);
        assertThat(api.put("/api/2/things/org.example:lamp-1/attributes/with%20space", "2").statusCode()).isEqualTo(201);

        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes?fields=a~1b,with%20space").body()).isEqualTo("{\"a/b\":1,\"with space\":2}");
        assertThat(api.get("/api/2/things/org.example:lamp-1/attributes/with%20space").body()).isEqualTo("2");
    }

    @Test
    void featuresPropertiesDesiredPropertiesAndDefinition() throws Exception {
        String lamp = "/api/2/things/org.example:lamp-1";
        HttpResponse<String> feature = api.put(lamp + "/features/dimmer", "{\"properties\":{\"level\":1}}");
        assertThat(feature.statusCode()).isEqualTo(201);
        assertThat(feature.body()).isEqualTo("{\"properties\":{\"level\":1}}");
        assertThat(feature.headers().firstValue("Location")).hasValue(lamp + "/features/dimmer");

        assertThat(api.put(lamp + "/features/dimmer/properties/level", "2").statusCode()).isEqualTo(204);
        assertThat(api.put(lamp + "/features/dimmer/properties/ramp", "{\"ms\":300}").statusCode()).isEqualTo(201);
        assertThat(api.put(lamp + "/features/dimmer/desiredProperties/level", "80").statusCode()).isEqualTo(201);
        assertThat(api.put(lamp + "/features/dimmer/definition", "[\"acme:dimmer:1.0.0\"]").statusCode()).isEqualTo(201);
        assertThat(api.patch(lamp + "/features/dimmer/desiredProperties", "{\"ramp\":{\"ms\":500}}").statusCode()).isEqualTo(204);

        assertThat(api.get(lamp + "/features/dimmer").body()).isEqualTo(
                "{\"definition\":[\"acme:dimmer:1.0.0\"],\"properties\":{\"level\":2,\"ramp\":{\"ms\":300}},"
                        + "\"desiredProperties\":{\"level\":80,\"ramp\":{\"ms\":500}}}");
        assertThat(api.get(lamp + "/features/dimmer/properties/ramp/ms").body()).isEqualTo("300");
        assertThat(api.get(lamp + "/features/dimmer/desiredProperties/level").body()).isEqualTo("80");
        assertThat(api.get(lamp + "/features/dimmer/definition").body()).isEqualTo("[\"acme:dimmer:1.0.0\"]");
        assertThat(api.get(lamp + "/features?fields=light/properties/on,dimmer/desiredProperties/level").body())
                .isEqualTo("{\"light\":{\"properties\":{\"on\":false}},\"dimmer\":{\"desiredProperties\":{\"level\":80}}}");
        assertThat(api.get(lamp + "/features/dimmer/properties?fields=level").body()).isEqualTo("{\"level\":2}");

        assertThat(api.delete(lamp + "/features/dimmer/desiredProperties").statusCode()).isEqualTo(204);
        assertThat(ApiServer.error(api.get(lamp + "/features/dimmer/desiredProperties"))).isEqualTo("things:feature.desiredProperties.notfound");
        assertThat(ApiServer.error(api.get(lamp + "/features/dimmer/desiredProperties/level"))).isEqualTo("things:feature.desiredProperty.notfound");
        assertThat(api.delete(lamp + "/features/dimmer/definition").statusCode()).isEqualTo(204);
        assertThat(ApiServer.error(api.get(lamp + "/features/dimmer/definition"))).isEqualTo("things:feature.definition.notfound");
        assertThat(api.delete(lamp + "/features/dimmer/properties/ramp").statusCode()).isEqualTo(204);
        assertThat(ApiServer.error(api.get(lamp + "/features/dimmer/properties/ramp"))).isEqualTo("things:feature.property.notfound");
        assertThat(api.delete(lamp + "/features/dimmer").statusCode()).isEqualTo(204);
        assertThat(ApiServer.error(api.get(lamp + "/features/dimmer"))).isEqualTo("things:feature.notfound");
        assertThat(ApiServer.error(api.get(lamp + "/features/dimmer/properties"))).isEqualTo("things:feature.notfound");

        HttpResponse<String> noFeature = api.put(lamp + "/features/nope/properties/x", "1");
        assertThat(noFeature.statusCode()).isEqualTo(404);
        assertThat(ApiServer.error(noFeature)).isEqualTo("things:feature.notfound");

        assertThat(api.delete(lamp + "/features").statusCode()).isEqualTo(204);
        assertThat(ApiServer.error(api.get(lamp + "/features"))).isEqualTo("things:features.notfound");
        assertThat(api.put(lamp + "/features", "{\"a\":{}}").statusCode()).isEqualTo(201);
    }

    @Test
    void definitionAndPolicyId() throws Exception {
        String lamp = "/api/2/things/org.example:lamp-1";
        assertThat(ApiServer.error(api.get(lamp + "/definition"))).isEqualTo("things:definition.notfound");
        assertThat(api.put(lamp + "/definition", "\"acme:lamp:1.0.0\"").statusCode()).isEqualTo(201);
        assertThat(api.get(lamp + "/definition").body()).isEqualTo("\"acme:lamp:1.0.0\"");
        assertThat(api.put(lamp + "/definition", "\"acme:lamp:2.0.0\"").statusCode()).isEqualTo(204);
        assertThat(api.patch(lamp + "/definition", "\"acme:lamp:3.0.0\"").statusCode()).isEqualTo(204);
        assertThat(api.get(lamp + "/definition").body()).isEqualTo("\"acme:lamp:3.0.0\"");
        assertThat(api.delete(lamp + "/definition").statusCode()).isEqualTo(204);

        assertThat(api.get(lamp + "/policyId").body()).isEqualTo("\"org.example:policy\"");
        HttpResponse<String> policy = api.put(lamp + "/policyId", "\"org.example:other\"");
        assertThat(policy.statusCode()).isEqualTo(204);
        assertThat(api.get(lamp + "/policyId").body()).isEqualTo("\"org.example:other\"");
        assertThat(api.thing("org.example:lamp-1").revision()).isEqualTo(6);
    }

    @Test
    void conditionalRequests() throws Exception {
        String lamp = "/api/2/things/org.example:lamp-1";
        HttpResponse<String> stale = api.send(api.request(lamp + "/attributes/vendor").header("If-Match", "\"rev:7\"")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("\"Other\"")));
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.body()).isEqualTo("{\"status\":412,\"error\":\"things:precondition.failed\","
                + "\"message\":\"The comparison of precondition header 'If-Match' for the requested Thing resource evaluated to false."
                + " Header value: '\\\"rev:7\\\"', actual entity-tag: '\\\"rev:1\\\"'.\","
                + "\"description\":\"The comparison of the provided precondition header with the entity-tag evaluated to false.\"}");
        assertThat(api.thing("org.example:lamp-1").revision()).isEqualTo(1);

        HttpResponse<String> current = api.send(api.request(lamp + "/attributes/vendor").header("If-Match", "\"rev:1\"")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("\"Other\"")));
        assertThat(current.statusCode()).isEqualTo(204);
        assertThat(current.headers().firstValue("ETag")).hasValue("\"rev:2\"");

        // If-None-Match: * creates only what does not exist yet
        assertThat(api.send(api.request(lamp + "/attributes/vendor").header("If-None-Match", "*")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("\"Third\""))).statusCode()).isEqualTo(412);
        assertThat(api.send(api.request(lamp + "/attributes/serial").header("If-None-Match", "*")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("\"42\""))).statusCode()).isEqualTo(201);
        assertThat(api.send(api.request(lamp).header("If-None-Match", "*")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(412);
        assertThat(api.send(api.request("/api/2/things/org.example:new").header("If-None-Match", "*")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(201);
        // If-Match: * changes only what exists
        assertThat(api.send(api.request("/api/2/things/org.example:other").header("If-Match", "*")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(412);
        assertThat(api.registry.retrieve(io.rosetta.core.model.ThingId.of("org.example:other"))).isEmpty();

        // merge and delete honour If-Match as well
        assertThat(api.send(api.request(lamp).header("If-Match", "\"rev:1\"").header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"attributes\":{\"x\":1}}"))).statusCode()).isEqualTo(412);
        assertThat(api.send(api.request(lamp).header("If-Match", "\"rev:1\"").DELETE()).statusCode()).isEqualTo(412);
        assertThat(api.send(api.request(lamp).header("If-Match", "\"rev:3\"").DELETE()).statusCode()).isEqualTo(204);

        assertThat(api.metrics.refusals(412, "things:precondition.failed")).isEqualTo(6);
    }

    @Test
    void conditionalReads() throws Exception {
        String lamp = "/api/2/things/org.example:lamp-1/features/light";
        HttpResponse<String> r = api.get(lamp);
        assertThat(r.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        assertThat(api.send(api.request(lamp).header("If-None-Match", "\"rev:1\"")).statusCode()).isEqualTo(304);
        assertThat(api.send(api.request(lamp).header("If-None-Match", "\"rev:0\"")).statusCode()).isEqualTo(200);
        assertThat(api.send(api.request(lamp).header("If-Match", "\"rev:0\"")).statusCode()).isEqualTo(412);
        assertThat(api.send(api.request(lamp).header("If-Match", "\"rev:0\", \"rev:1\"")).statusCode()).isEqualTo(200);
    }
}
