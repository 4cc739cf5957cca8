package io.rosetta.api.testing;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.security.Permissions;
import io.rosetta.security.internal.PolicyStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A real platform-http server (Vert.x) on a free loopback port in a started Camel context, as the Camel runtime
 * runs the API's routes; add routes with {@link #addRoutes}. A test's server may extend this class with what it
 * serves, closing it with {@link #whenClosed}. The server configuration is bound in the registry
 * (as {@code platform-http-server-configuration}) for the WebSocket endpoints. Also test users who sign in with HTTP
 * Basic ({@link #users}).
 */
public class ApiTestServer implements AutoCloseable {

    /** The test users' password for {@link #basic(String)} and {@link #users}. */
    public static final String PASSWORD = "secret";
    /** The {@code Authorization} header values of the test users alice, bob and carol (see {@link #users}). */
    public static final String ALICE = basic("alice");
    public static final String BOB = basic("bob");
    public static final String CAROL = basic("carol");

    private final Vertx vertx;
    private final DefaultCamelContext camel;
    private final int port;
    private final List<Runnable> whenClosed = new ArrayList<>();

    public ApiTestServer() throws Exception {
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
    }

    /** Steps that {@link #close()} runs, in order, once the server has stopped (closing what the routes used). */
    public void whenClosed(Runnable... steps) {
        whenClosed.addAll(List.of(steps));
    }

    public void addRoutes(RoutesBuilder routes) throws Exception {
        camel.addRoutes(routes);
    }

    public CamelContext camel() {
        return camel;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:port} followed by the path (and query). */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** {@code ws://127.0.0.1:port} followed by the path. */
    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** The {@code Authorization} header value for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code Authorization} header value of a test user of {@link #users} (password {@link #PASSWORD}). */
    public static String basic(String user) {
        return basic(user, PASSWORD);
    }

    /**
     * An authenticator for test users who sign in with HTTP Basic and {@link #PASSWORD}: {@code administrator} in role
     * {@code admin}; each of {@code others} without roles, with the permissions {@code grants} gives for the name (asked
     * at each request, so that later grants count); anyone else is refused as the API refuses (401), without
     * credentials or with credentials that are not valid.
     */
    public static Authenticator users(String administrator, Function<String, Permissions> grants, String... others) {
        List<String> known = List.of(others);
        return header -> {
            if (basic(administrator).equals(header)) {
                return new ApiUser(administrator, Set.of("admin"));
            }
            for (String name : known) {
                if (basic(name).equals(header)) {
                    return new ApiUser(name, Set.of(), grants.apply(name));
                }
            }
            throw Authenticator.unauthenticated(header == null ? "Authentication is required." : "The credentials are not valid.");
        };
    }

    /** {@link #users(String, Function, String...)} with the permissions the access policy grants each of {@code others}. */
    public static Authenticator users(String administrator, PolicyStore policy, String... others) {
        return users(administrator, name -> policy.permissions(Set.of(name), Set.of()), others);
    }

    /** The live APIs' settings ({@code live.ws.max.message.bytes} 256 KiB), as the configuration admin would hand them over. */
    public static LiveConfig liveConfig(int resumeEvents, int clientBuffer, int maxPending) {
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

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        camel.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        whenClosed.forEach(Runnable::run);
    }
}
