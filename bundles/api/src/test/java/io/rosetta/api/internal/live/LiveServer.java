package io.rosetta.api.internal.live;

import io.rosetta.api.internal.TestLoginModule;
import io.rosetta.api.internal.auth.JaasAuthenticatorAccess;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.model.Thing;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The live APIs on a real platform-http server on a free port, with an in-memory registry, real
 * JAAS logins, and a plain Camel route on {@code /api/2/things} standing for the things API.
 */
public final class LiveServer implements AutoCloseable {

    static final String USER = "admin";
    static final String PASSWORD = "s3cret:with:colons";
    /** What the stand-in things route answers. */
    static final String THINGS_ROUTE_BODY = "{\"from\":\"things-route\"}";

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final LiveMetrics metrics = new LiveMetrics();
    final LiveEventLog log;
    final LiveRoutes routes;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Vertx vertx;
    private final DefaultCamelContext camel;
    private final int port;

    LiveServer(int resumeEvents, int clientBuffer, int maxPending) throws Exception {
        port = freePort();
        vertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("vertx", vertx);
        VertxPlatformHttpServerConfiguration config = new VertxPlatformHttpServerConfiguration();
        config.setBindHost("127.0.0.1");
        config.setBindPort(port);
        camel.getRegistry().bind("platform-http-server-configuration", config);
        camel.addService(new VertxPlatformHttpServer(config), true, true);
        camel.start();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/2/things?matchOnUriPrefix=true").routeId("things-standin")
                        .removeHeaders("*").setHeader("Content-Type", constant("application/json")).setBody(constant(THINGS_ROUTE_BODY));
            }
        });
        // several delivery lanes whatever the machine, so that the tests always see events cross them
        log = new LiveEventLog(registry, resumeEvents, System.currentTimeMillis() * 1000, 3, LiveEventLog.DEFAULT_LANE_QUEUE);
        routes = new LiveRoutes(registry, authenticator(), log, metrics, config(resumeEvents, clientBuffer, maxPending));
        camel.addRoutes(routes);
    }

    LiveServer() throws Exception {
        this(10_000, 4096, 256);
    }

    /** Real JAAS logins through the API's authenticator, with the test login module. */
    private static Authenticator authenticator() {
        Configuration jaas = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(TestLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())};
            }
        };
        var access = new JaasAuthenticatorAccess("test", jaas, Duration.ofSeconds(60), 16, System::nanoTime);
        var delegate = access.authenticator();
        return header -> {
            var user = delegate.authenticate(header);
            return new ApiUser(user.name(), user.roles());
        };
    }

    /** The live APIs' settings, as the configuration admin would hand them over. */
    public static LiveConfig config(int resumeEvents, int clientBuffer, int maxPending) {
        return new LiveConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LiveConfig.class;
            }

            @Override
            public int live_resume_events() {
                return resumeEvents;
            }

            @Override
            public int live_client_buffer() {
                return clientBuffer;
            }

            @Override
            public int live_ws_max_pending() {
                return maxPending;
            }

            @Override
            public int live_ws_max_message_bytes() {
                return 256 * 1024;
            }
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

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/2");
    }

    int port() {
        return port;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        routes.deactivate();
        camel.stop();
        log.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        registry.close();
    }
}
