package io.rosetta.devices.internal.http;

import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
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
import java.util.Map;
import java.util.Set;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The device admin paths on a real platform-http server on a free port, over an in-memory twin registry and a device
 * registry in a folder (cheap Argon2id). Users: alice is an administrator; bob administers the namespace "acme" only;
 * carol may read everything but administers nothing; anyone else is refused (401).
 */
final class DevicesServer implements AutoCloseable {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    static final String ALICE = basic("alice");
    static final String BOB = basic("bob");
    static final String CAROL = basic("carol");

    final TwinRegistryImpl twins = TwinRegistryImpl.inMemory();
    final DeviceRegistryImpl registry;
    final DevicesMetrics metrics = new DevicesMetrics();
    final int port;
    private final Vertx vertx;
    private final DefaultCamelContext camel;

    DevicesServer(Path dir) throws Exception {
        ModelRegistry models = ClassPathModels.registry(DevicesServer.class.getClassLoader());
        registry = DeviceRegistryImpl.open(twins, models, new ModelTwinTemplates(models), dir.resolve("registry"),
                Map.of("kdf.memory.kib", "256", "kdf.iterations", "1"));
        PolicyStore policy = PolicyStore.in(dir);
        policy.grant("bob", "acme", AccessLevel.ADMIN);
        policy.grant("carol", "*", AccessLevel.READ);
        Authenticator authenticator = header -> {
            for (String name : List.of("bob", "carol")) {
                if (basic(name).equals(header)) {
                    return new ApiUser(name, Set.of(), policy.permissions(Set.of(name), Set.of()));
                }
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
        camel.addRoutes(new DevicesRoutes(registry, authenticator, metrics));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        camel.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        registry.close();
        twins.close();
    }
}
