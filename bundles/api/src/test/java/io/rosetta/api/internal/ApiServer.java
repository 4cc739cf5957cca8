package io.rosetta.api.internal;

import io.rosetta.api.internal.auth.JaasAuthenticatorAccess;
import io.rosetta.api.internal.wot.ThingDescriptions;
import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The API's routes on a real platform-http server on a free port, with an in-memory registry, and an HTTP client for it. */
final class ApiServer extends ApiTestServer {

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final ApiMetrics metrics = new ApiMetrics();
    final ThingsRoutes routes;
    /** The API's authenticator (real JAAS logins with the test login module), for other routes on this server. */
    final io.rosetta.api.security.Authenticator authenticator;
    /** The access policy and bearer tokens, in a temporary folder; the test user is an administrator (role admin). */
    final io.rosetta.security.internal.PolicyStore policy;
    private final java.nio.file.Path policyDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiServer(ApiSettings settings, ThingDescriptions descriptions) throws Exception {
        policyDir = java.nio.file.Files.createTempDirectory("rosetta-policy");
        policy = io.rosetta.security.internal.PolicyStore.in(policyDir);
        JaasAuthenticatorAccess auth = new JaasAuthenticatorAccess("test", TestLoginModule.configuration("test"), Duration.ofSeconds(60), 16,
                System::nanoTime, policy, policy);
        authenticator = auth.authenticator();
        routes = new ThingsRoutes(registry, authenticator, metrics, settings);
        if (descriptions != null) {
            routes.setDescriptions(descriptions);
        }
        addRoutes(routes);
    }

    ApiServer() throws Exception {
        this(ApiSettings.DEFAULTS, null);
    }

    Thing create(String json) {
        return registry.create(Thing.fromJson(Json.parseObject(json), null));
    }

    Thing thing(String id) {
        return registry.retrieve(io.rosetta.core.model.ThingId.of(id)).orElseThrow();
    }

    /** A request with the test user's credentials. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic(TestLoginModule.USER, TestLoginModule.PASSWORD));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> patch(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** For requests that java.net.URI refuses to build: the raw response text. */
    String raw(String method, String path, String headers, String body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port())) {
            socket.setSoTimeout(10_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: "
                    + basic(TestLoginModule.USER, TestLoginModule.PASSWORD) + "\r\n" + headers + "Content-Length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(b);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The {@code error} member of a Ditto-style error body. */
    static String error(HttpResponse<String> r) {
        JsonValue v = Json.parseObject(r.body()).getValue(JsonPointer.of("error")).orElseThrow();
        return ((JsonString) v).value();
    }

    static JsonObject object(HttpResponse<String> r) {
        return Json.parseObject(r.body());
    }

    @Override
    public void close() {
        super.close();
        registry.close();
        try (var files = java.nio.file.Files.list(policyDir)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
            java.nio.file.Files.deleteIfExists(policyDir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
