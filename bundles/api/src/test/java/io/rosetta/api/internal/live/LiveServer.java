package io.rosetta.api.internal.live;

import io.rosetta.api.internal.TestLoginModule;
import io.rosetta.api.internal.auth.JaasAuthenticatorAccess;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.model.Thing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The live APIs on a real platform-http server on a free port, with an in-memory registry, real
 * JAAS logins, and a plain Camel route on {@code /api/2/things} standing for the things API.
 */
public final class LiveServer extends ApiTestServer {

    static final String USER = "admin";
    static final String PASSWORD = "s3cret:with:colons";
    /** What the stand-in things route answers. */
    static final String THINGS_ROUTE_BODY = "{\"from\":\"things-route\"}";

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final LiveMetrics metrics = new LiveMetrics();
    final LiveEventLog log;
    final LiveRoutes routes;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveServer(int resumeEvents, int clientBuffer, int maxPending) throws Exception {
        this(resumeEvents, clientBuffer, maxPending, LiveWriteConfig.DEFAULT_LINGER_MS);
    }

    /** @param lingerMillis {@code live.client.linger.ms} of every stream and socket */
    LiveServer(int resumeEvents, int clientBuffer, int maxPending, int lingerMillis) throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/2/things?matchOnUriPrefix=true").routeId("things-standin")
                        .removeHeaders("*").setHeader("Content-Type", constant("application/json")).setBody(constant(THINGS_ROUTE_BODY));
            }
        });
        // several delivery lanes whatever the machine, so that the tests always see events cross them
        log = new LiveEventLog(registry, resumeEvents, System.currentTimeMillis() * 1000, 3, LiveEventLog.DEFAULT_LANE_QUEUE,
                LiveEventLog.DEFAULT_INLINE_LISTENERS);
        routes = new LiveRoutes(registry, authenticator(), log, metrics, liveConfig(resumeEvents, clientBuffer, maxPending), lingerMillis);
        addRoutes(routes);
    }

    LiveServer() throws Exception {
        this(10_000, 4096, 256);
    }

    /** Real JAAS logins through the API's authenticator, with the test login module. */
    private static Authenticator authenticator() {
        var access = new JaasAuthenticatorAccess("test", TestLoginModule.configuration("test"), Duration.ofSeconds(60), 16, System::nanoTime);
        var delegate = access.authenticator();
        return header -> {
            var user = delegate.authenticate(header);
            return new ApiUser(user.name(), user.roles());
        };
    }

    Thing create(String json) {
        return registry.create(Thing.fromJson(Json.parseObject(json), null));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).header("Authorization", basic(USER, PASSWORD));
    }

    /** An SSE request: with credentials and {@code Accept: text/event-stream}; no timeout (a stream). */
    HttpRequest.Builder sse(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", basic(USER, PASSWORD)).header("Accept", "text/event-stream");
    }

    URI ws() {
        return ws("/ws/2");
    }

    @Override
    public void close() {
        routes.deactivate();
        camel().stop();
        log.close();
        super.close();
        registry.close();
    }
}
