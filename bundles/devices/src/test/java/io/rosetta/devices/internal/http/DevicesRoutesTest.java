package io.rosetta.devices.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.DeviceRegistry;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device admin paths on a real platform-http server on a free port, over HTTP. */
class DevicesRoutesTest {

    private static final String SENSOR = DevicesServer.SENSOR;
    private static final String ALICE = DevicesServer.ALICE;
    /** bob administers the namespace "acme" only; carol may read everything but administers nothing. */
    private static final String BOB = DevicesServer.BOB;
    private static final String CAROL = DevicesServer.CAROL;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static DevicesServer server;
    private static TwinRegistryImpl twins;
    private static DeviceRegistryImpl registry;
    private static DevicesMetrics metrics;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = new DevicesServer(dir);
        twins = server.twins;
        registry = server.registry;
        metrics = server.metrics;
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String auth, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return Json.parseObject(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject e = json(r);
        assertThat(e.getOrNull("status")).isEqualTo(JsonValue.of(status));
        assertThat(e.getOrNull("error")).isEqualTo(JsonValue.of(code));
        assertThat(e.contains("message")).isTrue();
    }

    @Test
    void provisionsListsAndShowsADeviceWithoutSecrets() throws Exception {
        HttpResponse<String> created = send("POST", "/api/2/devices?reason=pilot", ALICE, "application/json",
                "{\"deviceId\":\"h-1\",\"thingId\":\"acme:h-1\",\"model\":\"" + SENSOR + "\",\"mqttUsername\":\"h-1\",\"mqttPassword\":\"password-h1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/2/devices/h-1");
        assertThat(created.body()).doesNotContain("password-h1", "argon2");
        assertThat(twins.retrieve(ThingId.of("acme:h-1"))).isPresent();

        HttpResponse<String> put = send("PUT", "/api/2/devices/h-2", ALICE, "application/json", "{\"model\":\"" + SENSOR + "\"}");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(json(put).getOrNull("thingId")).isEqualTo(JsonValue.of("device:h-2"));
        assertError(send("PUT", "/api/2/devices/h-2", ALICE, "application/json", "{\"model\":\"" + SENSOR + "\"}"), 409, "devices:device.conflict");

        HttpResponse<String> one = send("GET", "/api/2/devices/h-1", ALICE, null, null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).getValue(JsonPointer.of("/credentials/mqttPassword"))).hasValue(JsonValue.of(true));
        assertThat(one.headers().firstValue("Authorization")).isEmpty();

        HttpResponse<String> list = send("GET", "/api/2/devices?namespace=acme&limit=10", ALICE, null, null);
        assertThat(ids(json(list))).contains("h-1").doesNotContain("h-2");
        assertThat(registry.audit(io.rosetta.devices.AuditQuery.of("h-1", 5)).get(0).reason()).isEqualTo("pilot");
    }

    @Test
    void theLifecycleMovesByPostAndAnIllegalTransitionIsA409() throws Exception {
        send("POST", "/api/2/devices", ALICE, "application/json", "{\"deviceId\":\"l-1\",\"model\":\"" + SENSOR + "\"}");

        HttpResponse<String> suspended = send("POST", "/api/2/devices/l-1/lifecycle", ALICE, "application/json",
                "{\"state\":\"suspended\",\"reason\":\"unpaid\"}");
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
        assertThat(json(suspended).getOrNull("state")).isEqualTo(JsonValue.of("SUSPENDED"));
        assertThat(twins.retrieve(ThingId.of("device:l-1")).orElseThrow().lifecycle()).isEqualTo(LifecycleState.SUSPENDED);

        send("POST", "/api/2/devices/l-1/lifecycle", ALICE, "application/json", "{\"state\":\"DECOMMISSIONED\"}");
        long before = metrics.refusals(409, "devices:lifecycle.transition.invalid");
        assertError(send("POST", "/api/2/devices/l-1/lifecycle", ALICE, "application/json", "{\"state\":\"ACTIVE\"}"), 409,
                "devices:lifecycle.transition.invalid");
        assertThat(metrics.refusals(409, "devices:lifecycle.transition.invalid")).isEqualTo(before + 1);
        assertError(send("POST", "/api/2/devices/l-1/lifecycle", ALICE, "application/json", "{\"state\":\"ASLEEP\"}"), 400,
                "devices:device.invalid");
        assertError(send("POST", "/api/2/devices/l-1/lifecycle", ALICE, "application/json", "{\"state\":"), 400, "json.invalid");
        assertError(send("POST", "/api/2/devices/l-1/lifecycle", ALICE, "text/plain", "ACTIVE"), 415, "mediatype.unsupported");
        assertError(send("POST", "/api/2/devices/nobody/lifecycle", ALICE, "application/json", "{\"state\":\"ACTIVE\"}"), 404,
                "devices:device.notfound");
        HttpResponse<String> wrongMethod = send("DELETE", "/api/2/devices/l-1", ALICE, null, null);
        assertError(wrongMethod, 405, "gateway:method.notallowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertError(send("GET", "/api/2/devices/l-1/nothing", ALICE, null, null), 404, "gateway:resource.notfound");
    }

    @Test
    void importsCsvAndJsonAnsweringTheReport() throws Exception {
        String csv = "deviceId,thingId,model,pskIdentity,pskKey\n"
                + "i-1,acme:i-1," + SENSOR + ",i-1,hex:000102030405060708090a0b0c0d0e0f\n"
                + "i-2,acme:i-2,rosetta:nope:1,,\n"
                + "i-3,other:i-3," + SENSOR + ",,\n";
        HttpResponse<String> r = send("POST", "/api/2/devices/_import", BOB, "text/csv; charset=utf-8", csv);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject report = json(r);
        assertThat(report.getOrNull("imported")).isEqualTo(JsonValue.of(1));
        assertThat(report.getOrNull("rejected")).isEqualTo(JsonValue.of(2));
        JsonArray errors = report.getOrNull("errors").asArray();
        assertThat(errors.get(0).asObject().getOrNull("error")).isEqualTo(JsonValue.of("devices:model.unknown"));
        assertThat(errors.get(0).asObject().getOrNull("row")).isEqualTo(JsonValue.of(3));
        assertThat(errors.get(1).asObject().getOrNull("error")).isEqualTo(JsonValue.of("devices:import.forbidden"));
        assertThat(registry.pskKey("i-1")).isPresent();

        HttpResponse<String> dry = send("POST", "/api/2/devices/_import?dryRun=true", ALICE, "application/json",
                "[{\"deviceId\":\"i-9\",\"model\":\"" + SENSOR + "\"}]");
        assertThat(json(dry).getOrNull("valid")).isEqualTo(JsonValue.of(1));
        assertThat(registry.device("i-9")).isEmpty();

        assertError(send("POST", "/api/2/devices/_import", ALICE, "text/csv", "deviceId,model\n\"a,b\n"), 400, "devices:import.invalid");
        assertError(send("POST", "/api/2/devices/_import", ALICE, "application/xml", "<devices/>"), 415, "mediatype.unsupported");
        assertError(send("POST", "/api/2/devices/_import?atomic=maybe", ALICE, "text/csv", "deviceId\n"), 400, "devices:query.invalid");
    }

    @Test
    void configurationIsSetAndShownAsPendingOrApplied() throws Exception {
        send("POST", "/api/2/devices", ALICE, "application/json", "{\"deviceId\":\"c-1\",\"thingId\":\"acme:c-1\",\"model\":\"" + SENSOR + "\"}");

        HttpResponse<String> set = send("PATCH", "/api/2/devices/c-1/config?reason=tuning", BOB, "application/merge-patch+json",
                "{\"interval\":15}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).getOrNull("pending")).isEqualTo(JsonValue.of(1));
        twins.report(ThingId.of("acme:c-1"), JsonPointer.of("/features/configuration/properties"), Json.parse("{\"interval\":15}"),
                System.currentTimeMillis());
        HttpResponse<String> get = send("GET", "/api/2/devices/c-1/config", BOB, null, null);
        assertThat(json(get).getOrNull("entries").asArray().get(0).asObject().getOrNull("state")).isEqualTo(JsonValue.of("APPLIED"));

        HttpResponse<String> replaced = send("PUT", "/api/2/devices/c-1/config", ALICE, "application/json", "{\"mode\":\"eco\"}");
        assertThat(json(replaced).getOrNull("desired")).isEqualTo(Json.parse("{\"mode\":\"eco\"}"));

        HttpResponse<String> audit = send("GET", "/api/2/devices/c-1/audit", BOB, null, null);
        JsonArray items = json(audit).getOrNull("items").asArray();
        assertThat(items.size()).isEqualTo(3);
        assertThat(items.get(1).asObject().getOrNull("actor")).isEqualTo(JsonValue.of("bob"));
        assertThat(items.get(1).asObject().getOrNull("reason")).isEqualTo(JsonValue.of("tuning"));
    }

    @Test
    void credentialsChangeAndUnknownFieldsAreRefused() throws Exception {
        send("POST", "/api/2/devices", ALICE, "application/json", "{\"deviceId\":\"k-1\",\"model\":\"" + SENSOR
                + "\",\"mqttUsername\":\"k-1\",\"mqttPassword\":\"password-k1\"}");

        HttpResponse<String> r = send("POST", "/api/2/devices/k-1/credentials", ALICE, "application/json",
                "{\"mqttPassword\":\"password-k2\",\"x509Sha256\":\"" + "ab".repeat(32) + "\",\"reason\":\"rotation\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(registry.authenticateMqtt("k-1", "password-k2".getBytes(StandardCharsets.UTF_8)).accepted()).isTrue();
        assertThat(registry.authenticateCertificate("ab".repeat(32)).accepted()).isTrue();

        HttpResponse<String> removed = send("POST", "/api/2/devices/k-1/credentials", ALICE, "application/json", "{\"remove\":[\"mqtt\"]}");
        assertThat(json(removed).getValue(JsonPointer.of("/credentials/mqttPassword"))).hasValue(JsonValue.of(false));
        assertError(send("POST", "/api/2/devices/k-1/credentials", ALICE, "application/json", "{\"password\":\"x\"}"), 400,
                "devices:credentials.invalid");
        assertError(send("POST", "/api/2/devices/k-1/credentials", ALICE, "application/json", "{\"mqttPassword\":\"short\"}"), 400,
                "devices:credentials.invalid");
    }

    @Test
    void onlyAdministratorsOfADevicesNamespaceSeeAndChangeIt() throws Exception {
        send("POST", "/api/2/devices", ALICE, "application/json", "{\"deviceId\":\"z-1\",\"thingId\":\"other:z-1\",\"model\":\"" + SENSOR + "\"}");
        send("POST", "/api/2/devices", ALICE, "application/json", "{\"deviceId\":\"z-2\",\"thingId\":\"acme:z-2\",\"model\":\"" + SENSOR + "\"}");

        HttpResponse<String> none = send("GET", "/api/2/devices/z-1", null, null, null);
        assertError(none, 401, "gateway:authentication.failed");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(Authenticator.CHALLENGE);
        assertError(send("GET", "/api/2/devices/z-1", BOB, null, null), 404, "devices:device.notfound");
        assertError(send("POST", "/api/2/devices/z-1/lifecycle", BOB, "application/json", "{\"state\":\"SUSPENDED\"}"), 404,
                "devices:device.notfound");
        assertThat(registry.device("z-1").orElseThrow().state()).isEqualTo(LifecycleState.PROVISIONED);
        assertThat(send("GET", "/api/2/devices/z-2", BOB, null, null).statusCode()).isEqualTo(200);
        assertThat(ids(json(send("GET", "/api/2/devices?limit=10000", BOB, null, null)))).contains("z-2").doesNotContain("z-1");
        assertError(send("POST", "/api/2/devices", BOB, "application/json", "{\"deviceId\":\"z-3\",\"thingId\":\"other:z-3\",\"model\":\""
                + SENSOR + "\"}"), 403, "devices:access.forbidden");
        assertThat(registry.device("z-3")).isEmpty();
        assertThat(ids(json(send("GET", "/api/2/devices", CAROL, null, null)))).isEmpty();
        assertError(send("GET", "/api/2/devices/z-2", CAROL, null, null), 404, "devices:device.notfound");
        JsonArray audit = json(send("GET", "/api/2/devices/_audit?limit=1000", BOB, null, null)).getOrNull("items").asArray();
        assertThat(audit.values()).allSatisfy(e -> assertThat(e.asObject().getOrNull("deviceId")).isNotEqualTo(JsonValue.of("z-1")));
        assertError(send("GET", "/api/2/devices/_audit?since=yesterday", ALICE, null, null), 400, "devices:query.invalid");
        assertError(send("GET", "/api/2/devices?state=ASLEEP", ALICE, null, null), 400, "devices:device.invalid");
        assertError(send("GET", "/api/2/devices?limit=0", ALICE, null, null), 400, "devices:query.invalid");
    }

    private static List<String> ids(JsonObject page) {
        List<String> out = new ArrayList<>();
        for (JsonValue v : page.getOrNull("items").asArray()) {
            out.add(((io.rosetta.core.json.JsonString) v.asObject().getOrNull("deviceId")).value());
        }
        return out;
    }

    static DeviceRegistry registry() {
        return registry;
    }
}
