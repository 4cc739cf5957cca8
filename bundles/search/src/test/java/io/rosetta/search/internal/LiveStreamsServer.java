package io.rosetta.search.internal;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.internal.live.LiveEventLog;
import io.rosetta.api.internal.live.LiveMetrics;
import io.rosetta.api.internal.live.LiveRoutes;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.model.Thing;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.internal.PolicyStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The API's live streams (SSE and the Ditto WebSocket, {@link LiveRoutes} as the Camel runtime installs
 * them) on a real platform-http server on a free port, with an in-memory registry and this bundle's
 * {@link RqlThingFilters} bound as the OSGi runtime binds the service. {@code alice} is an administrator;
 * {@code bob} may read {@code org.example} only (a real access policy).
 */
final class LiveStreamsServer implements AutoCloseable {

    static final String ALICE = basic("alice", "secret");
    static final String BOB = basic("bob", "secret");

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final LiveMetrics metrics = new LiveMetrics();
    final RqlThingFilters filters = new RqlThingFilters();
    final LiveEventLog log;
    final LiveRoutes routes;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Vertx vertx;
    private final DefaultCamelContext camel;
    private final int port;

    LiveStreamsServer(Path policyDir) throws Exception {
        PolicyStore policy = PolicyStore.in(policyDir);
        policy.grant("bob", "org.example", AccessLevel.READ);
        Authenticator authenticator = header -> {
            if (ALICE.equals(header)) {
                return new ApiUser("alice", Set.of("admin"));
            }
            if (BOB.equals(header)) {
                return new ApiUser("bob", Set.of(), policy.permissions(Set.of("bob"), Set.of()));
            }
            throw Authenticator.unauthenticated(header == null ? "Authentication is required." : "The credentials are not valid.");
        };
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        vertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("vertx", vertx);
        VertxPlatformHttpServerConfiguration config = new VertxPlatformHttpServerConfiguration();
        config.setBindHost("127.0.0.1");
        config.setBindPort(port);
        camel.getRegistry().bind("platform-http-server-configuration", config);
        camel.addService(new VertxPlatformHttpServer(config), true, true);
        camel.start();
        LiveConfig live = config();
        log = new LiveEventLog(registry, live);
        routes = new LiveRoutes(registry, authenticator, log, metrics, live);
        routes.setThingFilters(filters);
        camel.addRoutes(routes);
    }

    private static LiveConfig config() {
        return new LiveConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LiveConfig.class;
            }

            @Override
            public int live_resume_events() {
                return 10_000;
            }

            @Override
            public int live_client_buffer() {
                return 4096;
            }

            @Override
            public int live_ws_max_pending() {
                return 256;
            }

            @Override
            public int live_ws_max_message_bytes() {
                return 256 * 1024;
            }
        };
    }

    Thing create(String json) {
        return registry.create(Things.of(json));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
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

    @Override
    public void close() {
        camel.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        registry.close();
    }
}
