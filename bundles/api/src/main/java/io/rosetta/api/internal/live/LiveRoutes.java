package io.rosetta.api.internal.live;

import io.rosetta.api.ditto.DittoCommands;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.registry.ThingFilters;
import io.rosetta.core.registry.TwinRegistry;
import io.vertx.ext.web.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live APIs on the platform-http server's router, ahead of the Camel routes: server-sent events
 * on {@code GET /api/2/things} ({@link SseStreams}; requests without {@code Accept: text/event-stream}
 * pass on to the things API) and the Ditto-protocol WebSocket on {@code /ws/2} ({@link DittoWebSockets}).
 * Both are Vert.x handlers because Camel has no SSE component and an upgrade done inside the platform
 * router keeps one server and one security path (a {@code vertx-websocket} consumer would start a
 * second server whose router skips these handlers).
 *
 * <p>Published as a prototype-scoped {@link RoutesBuilder} so that the Camel runtime's whiteboard
 * installs the handlers on its router when its context starts and releases this instance (which
 * removes them and closes every stream and socket) when the context or this bundle goes.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE, configurationPid = "io.rosetta.api")
public final class LiveRoutes extends RouteBuilder {

    /** Before the routes platform-http consumers add (order 0 and up). */
    static final int ORDER = -100;
    static final String THINGS = "/api/2/things";

    private static final Logger LOG = LoggerFactory.getLogger(LiveRoutes.class);

    private final SseStreams sse;
    private final DittoWebSockets websockets;
    private final List<Route> installed = new ArrayList<>();
    /** The search's RQL filters while the search runs: streams opened meanwhile may use {@code filter=}. */
    private final AtomicReference<ThingFilters> filters = new AtomicReference<>();

    @Activate
    public LiveRoutes(@Reference TwinRegistry registry, @Reference Authenticator authenticator, @Reference LiveEventLog log,
            @Reference LiveMetrics metrics, LiveConfig config, LiveWriteConfig writes) {
        this(registry, authenticator, log, metrics, config, writes.live_client_linger_ms());
    }

    /** With the default {@value LiveWriteConfig#LINGER_KEY} ({@value LiveWriteConfig#DEFAULT_LINGER_MS} ms). */
    public LiveRoutes(TwinRegistry registry, Authenticator authenticator, LiveEventLog log, LiveMetrics metrics, LiveConfig config) {
        this(registry, authenticator, log, metrics, config, LiveWriteConfig.DEFAULT_LINGER_MS);
    }

    /** @param lingerMillis {@value LiveWriteConfig#LINGER_KEY} of every stream and socket ({@link LiveConnection}) */
    LiveRoutes(TwinRegistry registry, Authenticator authenticator, LiveEventLog log, LiveMetrics metrics, LiveConfig config, int lingerMillis) {
        LiveConnection.checkLinger(lingerMillis);
        this.sse = new SseStreams(authenticator, log, metrics, config.live_client_buffer(), lingerMillis, filters::get);
        this.websockets = new DittoWebSockets(authenticator, new DittoCommands(registry), log, metrics, config.live_client_buffer(),
                lingerMillis, config.live_ws_max_pending(), config.live_ws_max_message_bytes(), filters::get);
    }

    /**
     * The RQL parser of the search bundle, optional: without it {@code filter=} is refused with 400
     * {@code things:filter.notsupported}. Streams already open keep the filter they were given.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void setThingFilters(ThingFilters thingFilters) {
        filters.set(thingFilters);
    }

    public void unsetThingFilters(ThingFilters thingFilters) {
        filters.compareAndSet(thingFilters, null);
    }

    @Override
    public void configure() {
        VertxPlatformHttpRouter router = router(getContext());
        synchronized (installed) {
            installed.add(router.get(THINGS).order(ORDER).handler(sse));
            installed.add(router.route(DittoWebSockets.PATH).order(ORDER).handler(websockets));
        }
        LOG.info("Live APIs on {}: SSE on GET {}, Ditto WebSocket on {}", router.getName(), THINGS, DittoWebSockets.PATH);
    }

    /** The platform-http server's router: the one of the configured port, or the only one there is. */
    static VertxPlatformHttpRouter router(CamelContext camel) {
        VertxPlatformHttpServerConfiguration config = camel.getRegistry().lookupByNameAndType("platform-http-server-configuration",
                VertxPlatformHttpServerConfiguration.class);
        if (config != null) {
            VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(config.getPort()));
            if (router != null) {
                return router;
            }
        }
        Set<VertxPlatformHttpRouter> routers = camel.getRegistry().findByType(VertxPlatformHttpRouter.class);
        if (routers.size() != 1) {
            throw new IllegalStateException("Expected one platform-http router in the Camel context, found " + routers.size());
        }
        return routers.iterator().next();
    }

    @Deactivate
    void deactivate() {
        synchronized (installed) {
            for (Route r : installed) {
                r.remove();
            }
            installed.clear();
        }
        sse.closeAll();
        websockets.closeAll();
    }

    int openStreams() {
        return sse.open();
    }

    int openSockets() {
        return websockets.open();
    }
}
