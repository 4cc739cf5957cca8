package io.rosetta.camel.internal;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.net.BindException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel context named {@value #NAME} with one Vert.x and the platform-http server on it: plain
 * HTTP, HTTPS or both ({@link RosettaHttpServer}), one router behind them. Routes are added and removed
 * per {@link RoutesBuilder}; the caller serialises those calls.
 *
 * <p>A port that is taken does not fail the context: its routes are kept on the router, one error
 * line says what to do, and {@link #httpListening()} (or {@link #httpsListening()}) is false.
 */
final class CamelRuntime {

    static final String NAME = "rosetta";
    static final String VERTX_NAME = "vertx";

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);

    private final HttpSettings settings;
    private final ClassLoader classLoader;
    private final Vertx vertx;
    private final DefaultCamelContext camel;
    private final RosettaHttpServer server;

    /** Plain HTTP only. */
    CamelRuntime(String host, int port, ClassLoader classLoader) {
        this(HttpSettings.plain(host, port), classLoader);
    }

    /** Starts Vert.x, the context and the HTTP listeners; {@code classLoader} sees Camel's own resources. */
    CamelRuntime(HttpSettings settings, ClassLoader classLoader) {
        this.settings = settings;
        this.classLoader = classLoader;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        Vertx createdVertx = null;
        DefaultCamelContext context = null;
        try {
            // no .vertx cache folder in the working directory, no class path file resolving
            createdVertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                    new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
            createdVertx.exceptionHandler(CamelRuntime::unhandled);
            context = new DefaultCamelContext(false);
            context.getCamelContextExtension().setName(NAME);
            context.setApplicationContextClassLoader(classLoader);
            // one Vert.x for the HTTP server and for any Vert.x component added later
            context.getRegistry().bind(VERTX_NAME, createdVertx);

            VertxPlatformHttpServerConfiguration config = new VertxPlatformHttpServerConfiguration();
            config.setBindHost(settings.plain() ? settings.host() : settings.tls().host());
            config.setBindPort(settings.routerPort());
            // lets the platform-http engine find the router by the configured port even when it is not bound
            context.getRegistry().bind("platform-http-server-configuration", config);
            RosettaHttpServer httpServer = new RosettaHttpServer(config, settings);
            context.addService(httpServer, true, true);
            context.build();
            context.start();
            this.vertx = createdVertx;
            this.camel = context;
            this.server = httpServer;
        } catch (Exception | Error e) {
            if (context != null) {
                context.stop();
            }
            if (createdVertx != null) {
                createdVertx.close();
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("The Camel context could not start: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        LOG.info("Camel context '{}' started; HTTP {}, HTTPS {}; WebSocket frames up to {} bytes", NAME,
                describe(settings.plain(), server.httpPort()), describe(settings.tls() != null, server.httpsPort()), settings.maxFrameBytes());
    }

    private static String describe(boolean enabled, int port) {
        return !enabled ? "off" : port < 0 ? "not listening" : "on port " + port;
    }

    CamelContext context() {
        return camel;
    }

    Vertx vertx() {
        return vertx;
    }

    boolean httpListening() {
        return server.httpPort() >= 0;
    }

    boolean httpsListening() {
        return server.httpsPort() >= 0;
    }

    /** The port plain HTTP listens on, or the configured one when it does not listen. */
    int httpPort() {
        int p = server.httpPort();
        return p >= 0 ? p : settings.port();
    }

    /** The port HTTPS listens on, or the configured one (-1 when HTTPS is off) when it does not listen. */
    int httpsPort() {
        int p = server.httpsPort();
        return p >= 0 ? p : settings.tls() == null ? -1 : settings.tls().port();
    }

    RosettaHttpServer server() {
        return server;
    }

    VertxPlatformHttpRouter router() {
        return VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(settings.routerPort()));
    }

    /**
     * Adds the builder's routes (starting them) and returns their ids. The ids of a {@link RouteBuilder}
     * come from its own route collection (REST routes included), so that routes which other callers add
     * at the same time are never taken for this builder's; other builders are told by the difference.
     */
    Set<String> addRoutes(RoutesBuilder builder) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        Set<String> before = routeIds();
        try {
            camel.addRoutes(builder);
            return idsOf(builder, before, false);
        } catch (Exception | Error e) {
            // a builder that failed half-way leaves nothing behind (but never removes a route that was there before)
            removeRoutes(idsOf(builder, before, true));
            forgetRests(builder);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The builder's routes that were not there before: those of its route collection (only the running ones
     * unless {@code failed}), or the difference to {@code before} for a builder that is no {@link RouteBuilder}
     * or whose routes got no id.
     */
    private Set<String> idsOf(RoutesBuilder builder, Set<String> before, boolean failed) {
        Set<String> ids = new LinkedHashSet<>();
        boolean unnamed = !(builder instanceof RouteBuilder);
        if (builder instanceof RouteBuilder rb) {
            for (RouteDefinition d : rb.getRouteCollection().getRoutes()) {
                String id = d.getRouteId();
                if (id == null) {
                    unnamed = true;
                } else if (!before.contains(id) && (failed || camel.getRoute(id) != null)) {
                    ids.add(id);
                }
            }
        }
        if (unnamed) {
            Set<String> added = routeIds();
            added.removeAll(before);
            ids.addAll(added);
        }
        return ids;
    }

    /** Forgets the REST definitions a builder put into the model, so that a builder coming back does not repeat them. */
    void forgetRests(RoutesBuilder builder) {
        if (builder instanceof RouteBuilder rb) {
            try {
                List<RestDefinition> rests = rb.getRestCollection().getRests();
                camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions().removeIf(d -> rests.stream().anyMatch(r -> r == d));
            } catch (RuntimeException e) {
                LOG.debug("Could not forget the REST definitions of {}: {}", builder, e.toString());
            }
        }
    }

    /**
     * Errors that escape Vert.x handlers. The platform-http server reports a failed bind by
     * throwing on the event loop; that case is logged once by the constructor, so it stays quiet here.
     */
    private static void unhandled(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException || c instanceof UnknownHostException) {
                LOG.debug("HTTP server bind failed", t);
                return;
            }
        }
        LOG.warn("Unhandled error on the HTTP server's event loop", t);
    }

    /** Stops and removes the given routes; routes that are gone already are skipped. */
    void removeRoutes(Set<String> routeIds) {
        for (String id : routeIds) {
            try {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id, 10, TimeUnit.SECONDS);
                    camel.removeRoute(id);
                }
                var definition = camel.getRouteDefinition(id);
                if (definition != null) {
                    camel.removeRouteDefinition(definition);
                }
            } catch (Exception e) {
                LOG.warn("Could not remove route '{}': {}", id, e.toString());
            }
        }
    }

    private Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : camel.getRoutes()) {
            ids.add(route.getRouteId());
        }
        return ids;
    }

    void stop() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            camel.stop();
        } finally {
            thread.setContextClassLoader(previous);
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
