package io.rosetta.camel.internal;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.net.impl.TCPServerBase;
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
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel context named {@value #NAME} with one Vert.x and the platform-http server on it. Routes
 * are added and removed per {@link RoutesBuilder}; the caller serialises those calls.
 *
 * <p>A port that is taken does not fail the context: its routes are kept on the router, one error
 * line says what to do, and {@link #httpListening()} is false.
 */
final class CamelRuntime {

    static final String NAME = "rosetta";
    static final String VERTX_NAME = "vertx";

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);

    private final String host;
    private final int port;
    private final ClassLoader classLoader;
    private final Vertx vertx;
    private final DefaultCamelContext camel;
    private final VertxPlatformHttpServer server;
    private final boolean listening;

    /** Starts Vert.x, the context and the HTTP server; {@code classLoader} sees Camel's own resources. */
    CamelRuntime(String host, int port, ClassLoader classLoader) {
        this.host = host;
        this.port = port;
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
            config.setBindHost(host);
            config.setBindPort(port);
            // lets the platform-http engine find the router by the configured port even when it is not bound
            context.getRegistry().bind("platform-http-server-configuration", config);
            VertxPlatformHttpServer httpServer = new VertxPlatformHttpServer(config);
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
        // the server logs a failed bind and carries on; whether it listens tells
        this.listening = server.getServer() instanceof TCPServerBase tcp && tcp.isListening();
        if (listening) {
            LOG.info("Camel context '{}' started; HTTP on {}:{}", NAME, host, server.getServer().actualPort());
        } else {
            LOG.error("HTTP port {} on {} cannot be bound (in use, or not an address of this host): Rosetta's HTTP API is off "
                    + "until http.port/http.host in etc/io.rosetta.camel.cfg are changed or the bundle is restarted; everything else keeps running",
                    port, host);
        }
    }

    CamelContext context() {
        return camel;
    }

    Vertx vertx() {
        return vertx;
    }

    boolean httpListening() {
        return listening;
    }

    /** The port the server listens on, or the configured one when it does not listen. */
    int httpPort() {
        return listening ? server.getServer().actualPort() : port;
    }

    VertxPlatformHttpRouter router() {
        return VertxPlatformHttpRouter.lookup(camel, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }

    /** Adds the builder's routes (starting them) and returns their ids. */
    Set<String> addRoutes(RoutesBuilder builder) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        Set<String> before = routeIds();
        try {
            camel.addRoutes(builder);
            Set<String> added = routeIds();
            added.removeAll(before);
            return added;
        } catch (Exception | Error e) {
            // a builder that failed half-way leaves nothing behind
            Set<String> partial = routeIds();
            partial.removeAll(before);
            removeRoutes(partial);
            forgetRests(builder);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
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
