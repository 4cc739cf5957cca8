package io.rosetta.search.internal;

import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.internal.PolicyStore;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The search route on a real platform-http server on a free port, over an in-memory registry. Users: alice is an
 * administrator, bob may read org.example only, carol has no grant at all; anyone else is refused (401).
 */
final class SearchServer implements AutoCloseable {

    static final String ALICE = basic("alice");
    static final String BOB = basic("bob");
    static final String CAROL = basic("carol");

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final ThingSearch search;
    final SearchMetrics metrics = new SearchMetrics();
    final int port;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Vertx vertx;
    private final DefaultCamelContext camel;

    /** A server whose index starts with the things given (Ditto JSON). */
    SearchServer(Path policyDir, List<String> things) throws Exception {
        things.forEach(t -> registry.create(Things.of(t)));
        search = new ThingSearch(registry, scheduler, 16, 200);
        PolicyStore policy = PolicyStore.in(policyDir);
        policy.grant("bob", "org.example", AccessLevel.READ);
        Authenticator authenticator = header -> {
            if (BOB.equals(header) || CAROL.equals(header)) {
                String name = BOB.equals(header) ? "bob" : "carol";
                return new ApiUser(name, Set.of(), policy.permissions(Set.of(name), Set.of()));
            }
            if (!ALICE.equals(header)) {
                throw Authenticator.unauthenticated(header == null ? "Authentication is required." : "The credentials are not valid.");
            }
            return new ApiUser("alice", Set.of("admin"));
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
        camel.addService(new VertxPlatformHttpServer(config), true, true);
        camel.start();
        camel.addRoutes(new SearchRoutes(search, authenticator, metrics));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        camel.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        search.close();
        scheduler.shutdownNow();
        registry.close();
    }
}
