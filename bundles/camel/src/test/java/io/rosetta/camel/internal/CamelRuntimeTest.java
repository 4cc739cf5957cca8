package io.rosetta.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

class CamelRuntimeTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void whiteboardAddsAndRemovesTheRoutesOfEachBuilder() throws Exception {
        CamelRuntime runtime = start(freePort());
        RouteWhiteboard whiteboard = new RouteWhiteboard(runtime);
        cleanup.add(whiteboard::close);
        Objects hello = new Objects(() -> new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/hello?httpMethodRestrict=GET").routeId("hello").setBody(constant("hi"));
            }
        });
        Objects rest = new Objects(() -> new RouteBuilder() {
            @Override
            public void configure() {
                restConfiguration().component("platform-http");
                rest("/api").get("/ping").to("direct:ping");
                from("direct:ping").setBody(constant("pong"));
            }
        });

        whiteboard.add(hello, "hello");
        whiteboard.add(rest, "rest");
        assertThat(get(runtime, "/hello").body()).isEqualTo("hi");
        assertThat(get(runtime, "/api/ping").body()).isEqualTo("pong");
        assertThat(whiteboard.routeIds(hello)).containsExactly("hello");
        assertThat(whiteboard.routeIds(rest)).isNotEmpty();

        whiteboard.remove(rest);
        assertThat(get(runtime, "/api/ping").statusCode()).isEqualTo(404);
        assertThat(get(runtime, "/hello").body()).isEqualTo("hi");
        assertThat(runtime.context().getRoutes()).extracting(r -> r.getRouteId()).containsExactly("hello");
        assertThat(rest.released).hasValue(1);
        assertThat(runtime.context().getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()).isEmpty();

        // the same bundle coming back (an update) gets its routes again
        whiteboard.add(rest, "rest");
        assertThat(get(runtime, "/api/ping").body()).isEqualTo("pong");
        assertThat(rest.created).hasValue(2);
        assertThat(runtime.context().getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()).hasSize(1);
    }

    /**
     * The JDK's HttpClient asks every {@code http://} request to upgrade to cleartext HTTP/2; the server answers in
     * HTTP/1.1 (it offers no HTTP/2), also for bodies larger than an HTTP/2 frame, and each answer arrives whole.
     */
    @Test
    void plainHttpAnswersInHttp11WhenAClientAsksForCleartextHttp2() throws Exception {
        CamelRuntime runtime = start(freePort());
        RouteWhiteboard whiteboard = new RouteWhiteboard(runtime);
        cleanup.add(whiteboard::close);
        String large = "x".repeat(100_000);
        whiteboard.add(new Objects(() -> new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/large?httpMethodRestrict=GET").routeId("large").setBody(constant(large));
            }
        }), "large");

        for (int i = 0; i < 20; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runtime.httpPort() + "/large")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).as("request %d", i).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).as("request %d", i).isEqualTo(large);
        }
    }

    @Test
    void aBuilderThatFailsLeavesNoRoutesAndDoesNotDisturbTheOthers() throws Exception {
        CamelRuntime runtime = start(freePort());
        RouteWhiteboard whiteboard = new RouteWhiteboard(runtime);
        cleanup.add(whiteboard::close);
        Objects good = new Objects(() -> new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/good").setBody(constant("ok"));
            }
        });
        Objects bad = new Objects(() -> new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/half").setBody(constant("half"));
                from("no-such-component:x").to("log:x");
            }
        });

        whiteboard.add(good, "good");
        whiteboard.add(bad, "bad");

        assertThat(whiteboard.routeIds(bad)).isEmpty();
        assertThat(bad.released).hasValue(1);
        assertThat(runtime.context().getRoutes()).hasSize(1);
        assertThat(get(runtime, "/good").body()).isEqualTo("ok");
        assertThat(get(runtime, "/half").statusCode()).isEqualTo(404);
        whiteboard.remove(bad); // never added: nothing happens
        assertThat(get(runtime, "/good").body()).isEqualTo("ok");
    }

    @Test
    void oneVertxIsSharedThroughTheRegistry() throws Exception {
        int port = freePort();
        CamelRuntime runtime = start(port);
        assertThat(runtime.context().getRegistry().lookupByNameAndType("vertx", Vertx.class)).isSameAs(runtime.vertx());
        VertxPlatformHttpRouter router = runtime.router();
        assertThat(router).isNotNull();
        assertThat(router.vertx()).isSameAs(runtime.vertx());
        assertThat(runtime.context().getName()).isEqualTo("rosetta");
        assertThat(runtime.httpListening()).isTrue();
        assertThat(runtime.httpPort()).isEqualTo(port);
    }

    @Test
    void aTakenPortKeepsTheContextRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CamelRuntime runtime = start("127.0.0.1", taken.getLocalPort());
            assertThat(runtime.httpListening()).isFalse();
            assertThat(runtime.context().isStarted()).isTrue();
            // routes are still accepted and run; only the listener is missing
            RouteWhiteboard whiteboard = new RouteWhiteboard(runtime);
            Objects both = new Objects(() -> new RouteBuilder() {
                @Override
                public void configure() {
                    from("platform-http:/later").setBody(constant("later"));
                    from("direct:in").setBody(simple("got ${body}"));
                }
            });
            whiteboard.add(both, "both");
            assertThat(whiteboard.routeIds(both)).hasSize(2);
            assertThat(runtime.context().createProducerTemplate().requestBody("direct:in", "x", String.class)).isEqualTo("got x");
        }
    }

    @Test
    void anUnusableHostKeepsTheContextRunning() throws Exception {
        CamelRuntime runtime = start("256.0.0.1", freePort());
        assertThat(runtime.httpListening()).isFalse();
        assertThat(runtime.context().isStarted()).isTrue();
    }

    private CamelRuntime start(int port) {
        return start("127.0.0.1", port);
    }

    private CamelRuntime start(String host, int port) {
        CamelRuntime runtime = new CamelRuntime(host, port, getClass().getClassLoader());
        cleanup.add(0, () -> {
            if (!runtime.context().isStopped()) {
                runtime.stop();
            }
        });
        return runtime;
    }

    private HttpResponse<String> get(CamelRuntime runtime, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What DS hands the whiteboard for a prototype-scoped builder service. */
    static final class Objects implements ComponentServiceObjects<RoutesBuilder> {
        private final java.util.function.Supplier<RoutesBuilder> factory;
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();

        Objects(java.util.function.Supplier<RoutesBuilder> factory) {
            this.factory = factory;
        }

        @Override
        public RoutesBuilder getService() {
            created.incrementAndGet();
            return factory.get();
        }

        @Override
        public void ungetService(RoutesBuilder service) {
            released.incrementAndGet();
        }

        @Override
        public ServiceReference<RoutesBuilder> getServiceReference() {
            return null;
        }
    }
}
