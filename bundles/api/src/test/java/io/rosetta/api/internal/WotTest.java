package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.internal.wot.ModelThingDescriptions;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Thing Descriptions generated from the twin's model, and the models themselves, over HTTP. */
class WotTest {

    private static final String SENSOR = """
            {"thingId":"org.example:sensor-1","definition":"rosetta:temperature-humidity-sensor:1.0.0",\
            "features":{"temperature":{"definition":["rosetta:temperature:1.0.0"],"properties":{"value":21.5}},\
            "humidity":{"definition":["rosetta:humidity:1.0.0"],"properties":{"value":40}}}}""";
    private static final String PLUG = """
            {"thingId":"org.example:plug-1","features":{"switch":{"definition":["rosetta:switch:1.0.0"],"properties":{"on":true}}}}""";

    private ApiServer api;
    private ModelThingDescriptions descriptions;

    @BeforeEach
    void start() throws Exception {
        ShippedModels models = new ShippedModels("temperature-1.0.0.tm.jsonld", "humidity-1.0.0.tm.jsonld", "device-management-1.0.0.tm.jsonld",
                "switch-1.0.0.tm.jsonld", "temperature-humidity-sensor-1.0.0.tm.jsonld");
        descriptions = new ModelThingDescriptions(models);
        api = new ApiServer(ApiSettings.DEFAULTS, descriptions);
        api.create(SENSOR);
        api.create(PLUG);
        api.create("{\"thingId\":\"org.example:bare\"}");
        api.create("{\"thingId\":\"org.example:odd\",\"definition\":\"acme:unknown:1.0.0\"}");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aThingsDescriptionDescribesItsFeaturesAsLinkedDescriptions() throws Exception {
        HttpResponse<String> r = td("/api/2/things/org.example:sensor-1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/td+json");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        String base = "http://127.0.0.1:" + api.port() + "/api/2/things/org.example:sensor-1/";
        assertThat(r.body()).isEqualTo("""
                {"@context":["https://www.w3.org/2022/wot/td/v1.1",{"ucum":"http://unitsofmeasure.org/ucum#"}],"@type":"Thing",\
                "id":"urn:org.example:sensor-1","title":"Temperature and humidity sensor",\
                "description":"A battery-powered room climate sensor (Zigbee, BLE, LoRaWAN or Wi-Fi) reporting temperature and relative humidity.",\
                "version":{"instance":"1.0.0","model":"1.0.0"},"base":"%s",\
                "links":[{"rel":"type","href":"rosetta:temperature-humidity-sensor:1.0.0","type":"application/tm+json"},\
                {"rel":"item","href":"features/temperature","type":"application/td+json"},\
                {"rel":"item","href":"features/humidity","type":"application/td+json"},\
                {"rel":"item","href":"features/device","type":"application/td+json"}],\
                "forms":[{"op":["readallproperties","readmultipleproperties"],"href":"attributes","htv:methodName":"GET","contentType":"application/json"},\
                {"op":"writeallproperties","href":"attributes","htv:methodName":"PUT","contentType":"application/json"},\
                {"op":"writemultipleproperties","href":"attributes","htv:methodName":"PATCH","contentType":"application/merge-patch+json"}],\
                "properties":{},\
                "securityDefinitions":{"basic_sc":{"scheme":"basic","in":"header"}},"security":"basic_sc"}""".formatted(base));
    }

    @Test
    void aFeaturesDescriptionReadsReportedAndWritesDesiredValues() throws Exception {
        HttpResponse<String> temperature = td("/api/2/things/org.example:sensor-1/features/temperature");
        assertThat(temperature.statusCode()).isEqualTo(200);
        JsonObject td = Json.parseObject(temperature.body());
        assertThat(td.get("base").orElseThrow().toString())
                .isEqualTo("\"http://127.0.0.1:" + api.port() + "/api/2/things/org.example:sensor-1/features/temperature/\"");
        assertThat(td.get("id").orElseThrow().toString()).isEqualTo("\"urn:org.example:sensor-1:features:temperature\"");
        assertThat(td.get("links").orElseThrow().toString()).isEqualTo("[{\"rel\":\"type\",\"href\":\"rosetta:temperature:1.0.0\","
                + "\"type\":\"application/tm+json\"},{\"rel\":\"collection\",\"href\":\"../../\",\"type\":\"application/td+json\"}]");
        // read-only sensor values: the model's schema and a read form only
        assertThat(Json.write(td.getValue(io.rosetta.core.json.JsonPointer.of("properties/value")).orElseThrow())).isEqualTo("""
                {"title":"Temperature","description":"The current temperature.","type":"number","unit":"Cel","minimum":-40,"maximum":125,\
                "readOnly":true,"observable":true,\
                "forms":[{"op":"readproperty","href":"properties/value","htv:methodName":"GET","contentType":"application/json"}]}""");
        assertThat(td.getValue(io.rosetta.core.json.JsonPointer.of("properties")).orElseThrow().asObject().keys())
                .containsExactly("value", "minMeasuredValue", "maxMeasuredValue");

        // a writable property is written as the wanted value
        JsonObject plug = Json.parseObject(td("/api/2/things/org.example:plug-1/features/switch").body());
        assertThat(Json.write(plug.getValue(io.rosetta.core.json.JsonPointer.of("properties/on/forms")).orElseThrow())).isEqualTo(
                "[{\"op\":\"readproperty\",\"href\":\"properties/on\",\"htv:methodName\":\"GET\",\"contentType\":\"application/json\"},"
                        + "{\"op\":\"writeproperty\",\"href\":\"desiredProperties/on\",\"htv:methodName\":\"PUT\",\"contentType\":\"application/json\"}]");

        // the forms work: following them with the base reads and writes the twin
        HttpResponse<String> read = api.get("/api/2/things/org.example:sensor-1/features/temperature/properties/value");
        assertThat(read.body()).isEqualTo("21.5");
    }

    @Test
    void withoutAKnownModelTheDescriptionIsNotAcceptable() throws Exception {
        HttpResponse<String> bare = td("/api/2/things/org.example:bare");
        assertThat(bare.statusCode()).isEqualTo(406);
        assertThat(bare.body()).isEqualTo("{\"status\":406,\"error\":\"wot:tm.notfound\","
                + "\"message\":\"The Thing 'org.example:bare' has no definition, so no Thing Description can be generated for it.\","
                + "\"description\":\"Give the thing a definition naming a known model (GET /api/2/models lists them), or ask for application/json.\"}");
        assertThat(ApiServer.error(td("/api/2/things/org.example:odd"))).isEqualTo("wot:tm.notfound");
        assertThat(td("/api/2/things/org.example:odd").body()).contains("The model 'acme:unknown:1.0.0'");
        assertThat(ApiServer.error(td("/api/2/things/org.example:sensor-1/features/nope"))).isEqualTo("things:feature.notfound");
        assertThat(td("/api/2/things/org.example:missing").statusCode()).isEqualTo(404);
        // application/json stays the default
        assertThat(api.get("/api/2/things/org.example:bare").body()).isEqualTo("{\"thingId\":\"org.example:bare\"}");
        assertThat(api.metrics.refusals(406, "wot:tm.notfound")).isEqualTo(3);
    }

    @Test
    void withoutAModelRegistryThereIsNoDescription() throws Exception {
        // the model registry goes away (the reference is dynamic) and comes back
        api.routes.unsetDescriptions(descriptions);
        assertThat(td("/api/2/things/org.example:sensor-1").statusCode()).isEqualTo(406);
        assertThat(api.get("/api/2/models").statusCode()).isEqualTo(503);
        api.routes.setDescriptions(descriptions);
        assertThat(td("/api/2/things/org.example:sensor-1").statusCode()).isEqualTo(200);

        try (ApiServer without = new ApiServer()) {
            without.create(SENSOR);
            HttpResponse<String> r = without.send(without.request("/api/2/things/org.example:sensor-1").header("Accept", "application/td+json"));
            assertThat(r.statusCode()).isEqualTo(406);
            assertThat(r.body()).contains("the model registry is not running");
            HttpResponse<String> models = without.get("/api/2/models");
            assertThat(models.statusCode()).isEqualTo(503);
            assertThat(ApiServer.error(models)).isEqualTo("wot:models.unavailable");
        }
    }

    @Test
    void servesTheModels() throws Exception {
        HttpResponse<String> list = api.get("/api/2/models");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.parse(list.body()).toString()).startsWith("[{\"id\":\"rosetta:device-management:1.0.0\",\"title\":");
        assertThat(Json.parse(list.body()).asArray().size()).isEqualTo(5);

        HttpResponse<String> model = api.get("/api/2/models/rosetta:temperature:1.0.0");
        assertThat(model.statusCode()).isEqualTo(200);
        assertThat(model.headers().firstValue("Content-Type")).hasValue("application/tm+json");
        assertThat(Json.parse(model.body())).isEqualTo(Json.parse(shipped("temperature-1.0.0.tm.jsonld")));

        HttpResponse<String> unknown = api.get("/api/2/models/acme:nope:1.0.0");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ApiServer.error(unknown)).isEqualTo("wot:tm.notfound");
        assertThat(ApiServer.error(api.get("/api/2/models/a/b"))).isEqualTo("gateway:resource.notfound");
    }

    private HttpResponse<String> td(String path) throws Exception {
        return api.send(api.request(path).header("Accept", "application/td+json"));
    }

    private static String shipped(String file) throws IOException {
        try (InputStream in = WotTest.class.getResourceAsStream("/models/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
