package io.rosetta.search.internal;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.internal.live.LiveEventLog;
import io.rosetta.api.internal.live.LiveMetrics;
import io.rosetta.api.internal.live.LiveRoutes;
import io.rosetta.api.security.Authenticator;
import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.model.Thing;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.internal.PolicyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The API's live streams (SSE and the Ditto WebSocket, {@link LiveRoutes} as the Camel runtime installs
 * them) on a real platform-http server on a free port, with an in-memory registry and this bundle's
 * {@link RqlThingFilters} bound as the OSGi runtime binds the service. {@code alice} is an administrator;
 * {@code bob} may read {@code org.example} only (a real access policy).
 */
final class LiveStreamsServer extends ApiTestServer {

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final LiveMetrics metrics = new LiveMetrics();
    final RqlThingFilters filters = new RqlThingFilters();
    final LiveEventLog log;
    final LiveRoutes routes;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveStreamsServer(Path policyDir) throws Exception {
        PolicyStore policy = PolicyStore.in(policyDir);
        policy.grant("bob", "org.example", AccessLevel.READ);
        Authenticator authenticator = users("alice", policy, "bob");
        LiveConfig live = liveConfig(10_000, 4096, 256);
        log = new LiveEventLog(registry, live);
        routes = new LiveRoutes(registry, authenticator, log, metrics, live);
        routes.setThingFilters(filters);
        whenClosed(registry::close);
        addRoutes(routes);
    }

    Thing create(String json) {
        return registry.create(Things.of(json));
    }

    URI ws() {
        return ws("/ws/2");
    }
}
