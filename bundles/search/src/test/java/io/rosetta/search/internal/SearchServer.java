package io.rosetta.search.internal;

import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.internal.PolicyStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The search route on a real platform-http server on a free port, over an in-memory registry. Users: alice is an
 * administrator, bob may read org.example only, carol has no grant at all; anyone else is refused (401).
 */
final class SearchServer extends ApiTestServer {

    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final ThingSearch search;
    final SearchMetrics metrics = new SearchMetrics();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    /** A server whose index starts with the things given (Ditto JSON). */
    SearchServer(Path policyDir, List<String> things) throws Exception {
        things.forEach(t -> registry.create(Things.of(t)));
        search = new ThingSearch(registry, scheduler, 16, 200);
        PolicyStore policy = PolicyStore.in(policyDir);
        policy.grant("bob", "org.example", AccessLevel.READ);
        whenClosed(search::close, scheduler::shutdownNow, registry::close);
        addRoutes(new SearchRoutes(search, users("alice", policy, "bob", "carol"), metrics));
    }
}
