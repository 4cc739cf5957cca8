package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.internal.auth.JaasAuthenticatorAccess;
import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.model.Thing;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.json.JsonPointer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routes on a real platform-http server, called over HTTP. */
class ThingsRoutesTest {

    private static final String SENSOR = """
            {"thingId":"org.example:sensor-1","policyId":"org.example:policy","definition":"https://models.rosetta.io/tm/temperature-humidity-1.0.0",\
            "attributes":{"vendor":"Acme","location":{"room":"lab"}},\
            "features":{"env":{"properties":{"temperature":21.5,"humidity":40}}}}""";
    private static final String PLUG = """
            {"thingId":"org.example:plug-1","attributes":{"vendor":"Plugs & Co"}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private TwinRegistryImpl registry;
    private ApiTestServer server;
    private ApiMetrics metrics;
    private JaasAuthenticatorAccess auth;
    private int port;

    @BeforeEach
    void start() throws Exception {
        registry = TwinRegistryImpl.inMemory();
        registry.create(Thing.fromJson(Json.parseObject(SENSOR), null));
        registry.create(Thing.fromJson(Json.parseObject(PLUG), null));
        server = new ApiTestServer();
        port = server.port();
        metrics = new ApiMetrics();
        auth = new JaasAuthenticatorAccess("test", TestLoginModule.configuration("test"), Duration.ofSeconds(60), 16, clock::get);
        server.addRoutes(new ThingsRoutes(registry, auth.authenticator(), metrics, ApiSettings.DEFAULTS));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void retrievesAThingAsDittoWritesIt() throws Exception {
        HttpResponse<String> r = get("/api/2/things/org.example:sensor-1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(SENSOR);
        assertThat(r.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        // nothing of the request is echoed
        assertThat(r.headers().map().keySet()).doesNotContain("authorization", "Authorization", "thingId", "thingid");
        assertThat(metrics.ok()).isEqualTo(1);
    }

    @Test
    void theRevisionFollowsChanges() throws Exception {
        registry.merge(io.rosetta.core.model.ThingId.of("org.example:plug-1"), JsonPointer.of("/attributes/vendor"),
                Json.parse("\"Other\""), Precondition.none());
        HttpResponse<String> r = get("/api/2/things/org.example:plug-1");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"rev:2\"");
        assertThat(r.body()).isEqualTo("{\"thingId\":\"org.example:plug-1\",\"attributes\":{\"vendor\":\"Other\"}}");

        HttpResponse<String> same = send(request("/api/2/things/org.example:plug-1").header("If-None-Match", "\"rev:2\"")
                .header("Authorization", basic(TestLoginModule.USER, TestLoginModule.PASSWORD)));
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
    }

    @Test
    void selectsFieldsIncludingSpecialOnes() throws Exception {
        assertThat(get("/api/2/things/org.example:sensor-1?fields=thingId,attributes/location").body())
                .isEqualTo("{\"thingId\":\"org.example:sensor-1\",\"attributes\":{\"location\":{\"room\":\"lab\"}}}");
        assertThat(get("/api/2/things/org.example:sensor-1?fields=features(env/properties/temperature)").body())
                .isEqualTo("{\"features\":{\"env\":{\"properties\":{\"temperature\":21.5}}}}");
        assertThat(get("/api/2/things/org.example:sensor-1?fields=thingId,_revision,_connectivity").body())
                .isEqualTo("{\"thingId\":\"org.example:sensor-1\",\"_revision\":1,\"_connectivity\":{\"status\":\"UNKNOWN\"}}");
        // special fields never appear unless selected
        assertThat(get("/api/2/things/org.example:sensor-1").body()).doesNotContain("_revision", "_connectivity", "_modified");
    }

    @Test
    void anUnknownThingIs404WithADittoErrorBody() throws Exception {
        HttpResponse<String> r = get("/api/2/things/org.example:nope");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"status\":404,\"error\":\"things:thing.notfound\","
                + "\"message\":\"The Thing with ID 'org.example:nope' could not be found or requester had insufficient permissions to access it.\","
                + "\"description\":\"Check if the ID of your requested Thing was correct and you have sufficient permissions.\"}");
        assertThat(metrics.clientErrors()).isEqualTo(1);
    }

    @Test
    void badInputIs400NeverA500() throws Exception {
        HttpResponse<String> invalidId = get("/api/2/things/no-namespace-separator");
        assertThat(invalidId.statusCode()).isEqualTo(400);
        assertThat(Json.parseObject(invalidId.body()).getValue(JsonPointer.of("/error")).orElseThrow().toString())
                .isEqualTo("\"things:id.invalid\"");

        assertThat(get("/api/2/things/org.example:sensor-1?fields=features(env").statusCode()).isEqualTo(400);
        // refused by the HTTP layer before the route runs
        assertThat(rawGet("/api/2/things/org.example:sensor-1?fields=%zz")).startsWith("HTTP/1.1 400");
        assertThat(get("/api/2/things/9bad.ns:x").statusCode()).isEqualTo(400);
        assertThat(get("/api/2/things?ids=org.example:sensor-1,bad").statusCode()).isEqualTo(400);
        assertThat(get("/api/2/things").statusCode()).isEqualTo(400);
        assertThat(get("/api/2/things/org.example:sensor-1?fields=" + "a/".repeat(5) + "~2").statusCode()).isEqualTo(400);
        assertThat(metrics.serverErrors()).isZero();
        assertThat(metrics.clientErrors()).isEqualTo(6);
    }

    @Test
    void retrievesTheThingsThatExistAmongSeveralIds() throws Exception {
        HttpResponse<String> r = get("/api/2/things?ids=org.example:plug-1,org.example:missing,org.example:sensor-1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("[" + PLUG + "," + SENSOR + "]");

        assertThat(get("/api/2/things?ids=org.example:sensor-1,org.example:plug-1&fields=thingId").body())
                .isEqualTo("[{\"thingId\":\"org.example:sensor-1\"},{\"thingId\":\"org.example:plug-1\"}]");
        assertThat(get("/api/2/things?ids=").body()).isEqualTo("[]");
    }

    @Test
    void withoutOrWithWrongCredentialsIs401() throws Exception {
        for (HttpRequest.Builder request : new HttpRequest.Builder[] {
                HttpRequest.newBuilder(uri("/api/2/things/org.example:sensor-1")),
                HttpRequest.newBuilder(uri("/api/2/things/org.example:sensor-1")).header("Authorization", basic("admin", "wrong")),
                HttpRequest.newBuilder(uri("/api/2/things/org.example:sensor-1")).header("Authorization", basic("eve", TestLoginModule.PASSWORD)),
                HttpRequest.newBuilder(uri("/api/2/things?ids=org.example:sensor-1")).header("Authorization", "Basic !!not-base64"),
                HttpRequest.newBuilder(uri("/api/2/things/org.example:nope")).header("Authorization", "Bearer abc")}) {
            HttpResponse<String> r = send(request);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"rosetta\"");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(r.body()).startsWith("{\"status\":401,\"error\":\"gateway:authentication.failed\",\"message\":\"")
                    .doesNotContain("org.example:sensor-1", "plug");
        }
        assertThat(metrics.unauthenticated()).isEqualTo(5);
        assertThat(metrics.ok()).isZero();
    }

    @Test
    void aSuccessfulLoginIsRememberedBriefly() throws Exception {
        get("/api/2/things/org.example:sensor-1");
        get("/api/2/things/org.example:plug-1");
        assertThat(auth.logins()).isEqualTo(1);

        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(get("/api/2/things/org.example:sensor-1").statusCode()).isEqualTo(200);
        assertThat(auth.logins()).isEqualTo(2);

        // a wrong password is checked every time, never served from the cache
        send(request("/api/2/things/org.example:sensor-1").header("Authorization", basic("admin", "wrong")));
        send(request("/api/2/things/org.example:sensor-1").header("Authorization", basic("admin", "wrong")));
        assertThat(auth.failures()).isEqualTo(2);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).header("Authorization", basic(TestLoginModule.USER, TestLoginModule.PASSWORD)));
    }

    /** For requests that java.net.URI refuses to build. */
    private String rawGet(String path) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: "
                    + basic(TestLoginModule.USER, TestLoginModule.PASSWORD) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return server.uri(path);
    }

    private static String basic(String user, String password) {
        return ApiTestServer.basic(user, password);
    }
}
