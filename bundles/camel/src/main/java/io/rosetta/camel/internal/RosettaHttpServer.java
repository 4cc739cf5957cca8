package io.rosetta.camel.internal;

import io.rosetta.camel.HttpServerStatus;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's platform-http server on Vert.x with Rosetta's listeners: plain HTTP, HTTPS or both, in front
 * of the one platform-http router, so that every route (REST, SSE, WebSocket) answers on each. Also
 * sets the WebSocket frame and message limits, which Camel's own server leaves at Vert.x's defaults,
 * and puts the {@link WebSocketFrameGuard} into every connection.
 *
 * <p>A listener that cannot start — a port in use, an unusable keystore — is one error line; the other
 * listener and the Camel context keep running.
 */
final class RosettaHttpServer extends VertxPlatformHttpServer implements HttpServerStatus {

    private static final Logger LOG = LoggerFactory.getLogger(RosettaHttpServer.class);
    private static final long LISTEN_TIMEOUT_SECONDS = 30;

    private final HttpSettings settings;
    private final VertxPlatformHttpServerConfiguration configuration;
    private final WebSocketFrameGuard guard = new WebSocketFrameGuard();
    private volatile HttpServer plain;
    private volatile HttpServer tls;
    private volatile HttpsKeyStore.Opened keyStore;

    RosettaHttpServer(VertxPlatformHttpServerConfiguration configuration, HttpSettings settings) {
        super(configuration);
        this.configuration = configuration;
        this.settings = settings;
    }

    @Override
    protected void startServer() {
        VertxPlatformHttpRouter platformRouter = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        Router top = Router.router(getVertx());
        top.route(configuration.getPath() + "*").subRouter(platformRouter);
        if (settings.plain()) {
            plain = listen(baseOptions(), settings.host(), settings.port(), top, "HTTP", "http.port/http.host");
        }
        HttpSettings.Tls tlsSettings = settings.tls();
        if (tlsSettings != null) {
            try {
                keyStore = HttpsKeyStore.open(tlsSettings);
            } catch (HttpsKeyStore.KeyStoreException e) {
                LOG.error("HTTPS on port {} is off: {}.{}", tlsSettings.port(), e.getMessage(),
                        settings.plain() ? " Plain HTTP keeps running." : "");
                return;
            }
            HttpServerOptions options = baseOptions().setSsl(true).setKeyCertOptions(new KeyStoreOptions()
                    .setType(keyStore.type()).setValue(Buffer.buffer(keyStore.bytes())).setPassword(keyStore.password()).setAlias(keyStore.alias()));
            tls = listen(options, tlsSettings.host(), tlsSettings.port(), top, "HTTPS", "https.port/https.host");
            if (tls != null) {
                LOG.info("HTTPS certificate: {} (SHA-256 {}), valid until {}, from {}", keyStore.certificate().getSubjectX500Principal().getName(),
                        keyStore.fingerprint(), keyStore.certificate().getNotAfter().toInstant(), keyStore.path());
            }
        }
    }

    /**
     * HTTP/1.1 only: Vert.x would otherwise take up a client's cleartext HTTP/2 upgrade ({@code Upgrade: h2c}, which the
     * JDK's HttpClient asks for on every {@code http://} request), and a response then now and again reaches the client
     * partly as HTTP/1.1 text inside the HTTP/2 connection (a protocol error on the client).
     */
    private HttpServerOptions baseOptions() {
        return new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(settings.maxFrameBytes()).setMaxWebSocketMessageSize(settings.maxMessageBytes());
    }

    /** Starts one listener; returns it, or {@code null} (after one error line) when it could not bind. */
    private HttpServer listen(HttpServerOptions options, String host, int port, Router router, String what, String keys) {
        HttpServer server = getVertx().createHttpServer(options);
        server.connectionHandler(this::guard).requestHandler(router);
        Future<HttpServer> listening = server.listen(port, host);
        try {
            listening.toCompletionStage().toCompletableFuture().get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("{} on {}:{}", what, host, server.actualPort());
            return server;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("{} port {} on {} cannot be bound ({}): Rosetta's {} is off until {} in etc/io.rosetta.camel.cfg are changed "
                    + "or the bundle is restarted; everything else keeps running", what, port, host, cause, what, keys);
            server.close();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            return null;
        }
    }

    private void guard(HttpConnection connection) {
        if (connection instanceof Http1xServerConnection http1) {
            guard.install(http1.channelHandlerContext().pipeline());
        }
    }

    @Override
    protected void stopServer() {
        getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
        close(plain);
        close(tls);
        plain = null;
        tls = null;
    }

    private static void close(HttpServer server) {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("The HTTP server on port {} did not close cleanly: {}", server.actualPort(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The plain server, or the HTTPS one when plain HTTP is off (what platform-http asks for its port). */
    @Override
    public HttpServer getServer() {
        HttpServer p = plain;
        return p != null ? p : tls;
    }

    @Override
    public int getPort() {
        HttpServer s = getServer();
        return s != null ? s.actualPort() : configuration.getBindPort();
    }

    // ---- HttpServerStatus

    @Override
    public int httpPort() {
        HttpServer p = plain;
        return p != null ? p.actualPort() : -1;
    }

    @Override
    public int httpsPort() {
        HttpServer t = tls;
        return t != null ? t.actualPort() : -1;
    }

    @Override
    public String certificateFingerprint() {
        HttpsKeyStore.Opened k = keyStore;
        return tls != null && k != null ? k.fingerprint() : null;
    }

    @Override
    public int maxWebSocketFrameBytes() {
        return settings.maxFrameBytes();
    }

    @Override
    public long webSocketFramesTooLarge() {
        return guard.tooLarge.sum();
    }

    @Override
    public long webSocketProtocolErrors() {
        return guard.protocolErrors.sum();
    }

    HttpsKeyStore.Opened keyStore() {
        return keyStore;
    }
}
