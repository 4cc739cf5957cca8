package io.rosetta.devices.internal.http;

import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.internal.PolicyStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * The device admin paths on a real platform-http server on a free port, over an in-memory twin registry and a device
 * registry in a folder (cheap Argon2id). Users: alice is an administrator; bob administers the namespace "acme" only;
 * carol may read everything but administers nothing; anyone else is refused (401).
 */
final class DevicesServer extends ApiTestServer {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";

    final TwinRegistryImpl twins = TwinRegistryImpl.inMemory();
    final DeviceRegistryImpl registry;
    final DevicesMetrics metrics = new DevicesMetrics();

    DevicesServer(Path dir) throws Exception {
        ModelRegistry models = ClassPathModels.registry(DevicesServer.class.getClassLoader());
        registry = DeviceRegistryImpl.open(twins, models, new ModelTwinTemplates(models), dir.resolve("registry"),
                Map.of("kdf.memory.kib", "256", "kdf.iterations", "1"));
        PolicyStore policy = PolicyStore.in(dir);
        policy.grant("bob", "acme", AccessLevel.ADMIN);
        policy.grant("carol", "*", AccessLevel.READ);
        whenClosed(registry::close, twins::close);
        addRoutes(new DevicesRoutes(registry, users("alice", policy, "bob", "carol"), metrics));
    }
}
