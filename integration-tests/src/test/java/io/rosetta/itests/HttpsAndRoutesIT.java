package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.routes.IntegratorRoutes;
import io.rosetta.routes.IntegratorRoutes.RouteFile;
import io.rosetta.routes.IntegratorRoutes.State;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * In the booted distribution: the HTTPS port with the certificate generated at first start (REST, SSE and the Ditto
 * WebSocket on it, with a message above 64 kB), and integrator route files dropped into etc/routes/ — loaded, delivering
 * filtered twin events, applying a patch, reloaded on change, refused when broken, removed on delete.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpsAndRoutesIT extends RosettaTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    protected IntegratorRoutes routes;

    @Before
    public void ready() {
        awaitReady();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private int httpsPort() throws Exception {
        return Integer.parseInt(String.valueOf(configurationAdmin.getConfiguration("io.rosetta.camel", null).getProperties().get("https.port")));
    }

    private static HttpClient trustingTheGeneratedCertificate() throws Exception {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path keystore = etc.resolve("rosetta-https.p12");
        String password = Files.readString(etc.resolve("rosetta-https.p12.password")).strip();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("rosetta", (X509Certificate) store.getCertificate("rosetta-https"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), new SecureRandom());
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> send(HttpClient client, String base, String method, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic())
                .header("Content-Type", "PATCH".equals(method) ? "application/merge-patch+json" : "application/json")
                .timeout(Duration.ofSeconds(10)).method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void restSseAndTheWebSocketAnswerOverHttpsWithTheGeneratedCertificate() throws Exception {
        HttpClient https = trustingTheGeneratedCertificate();
        String base = "https://localhost:" + httpsPort();
        HttpResponse<String> probe = https.send(HttpRequest.newBuilder(URI.create(base + "/api/2/things?ids=readiness:probe"))
                .header("Authorization", basic()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

        // server-sent events over HTTPS
        List<String> data = new CopyOnWriteArrayList<>();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> stream = https.send(HttpRequest.newBuilder(URI.create(base + "/api/2/things?namespaces=it.tls"))
                .header("Authorization", basic()).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofPublisher());
        assertThat(stream.statusCode()).isEqualTo(200);
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        stream.body().subscribe(new Lines(subscription, data));
        try {
            assertThat(send(https, base, "PUT", "/api/2/things/it.tls:lamp", "{\"attributes\":{\"room\":\"hall\"}}").statusCode()).isEqualTo(201);
            Awaitility.await().atMost(WAIT).until(() -> data.stream().anyMatch(d -> d.contains("\"thingId\":\"it.tls:lamp\"")));
        } finally {
            subscription[0].cancel();
        }

        // the Ditto WebSocket over TLS, with a command of 100 kB (one frame above Vert.x's default limit of 64 kB)
        List<String> messages = new CopyOnWriteArrayList<>();
        WebSocket socket = https.newWebSocketBuilder().header("Authorization", basic())
                .buildAsync(URI.create("wss://localhost:" + httpsPort() + "/ws/2"), new Collecting(messages)).get(10, TimeUnit.SECONDS);
        socket.sendText("START-SEND-EVENTS", true);
        Awaitility.await().atMost(WAIT).until(() -> messages.contains("START-SEND-EVENTS:ACK"));
        String big = "x".repeat(100_000);
        socket.sendText("{\"topic\":\"it.tls/lamp/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"big-1\"},"
                + "\"path\":\"/attributes/notes\",\"value\":\"" + big + "\"}", true).get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(WAIT).until(() -> messages.stream().anyMatch(m -> m.contains("big-1") && m.contains("\"status\":201")));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        HttpResponse<String> notes = send(https, base, "GET", "/api/2/things/it.tls:lamp/attributes/notes", "");
        assertThat(notes.body()).hasSize(big.length() + 2);
    }

    @Test
    public void routeFilesAreLoadedReloadedRefusedWhenBrokenAndRemoved() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + httpPort();
        Path folder = routes.folder();
        assertThat(folder).isEqualTo(Path.of(System.getProperty("karaf.etc"), "routes").toAbsolutePath().normalize());
        assertThat(folder.resolve("example-forward.yaml.disabled")).isRegularFile();
        Path out = Path.of(System.getProperty("karaf.data"), "it-routes");
        long loaded = routes.filesLoaded();

        // dropped: kitchen things of the namespace it.routes go to files
        Path events = folder.resolve("it-events.yaml");
        Files.writeString(events, eventsRoute("it-events", "v1"));
        Awaitility.await().atMost(WAIT).until(() -> state("it-events.yaml").map(RouteFile::state).orElse(null) == State.RUNNING);
        assertThat(send(http, base, "PUT", "/api/2/things/it.routes:hall", "{\"attributes\":{\"room\":\"hall\"}}").statusCode()).isEqualTo(201);
        assertThat(send(http, base, "PUT", "/api/2/things/it.routes:kitchen", "{\"attributes\":{\"room\":\"kitchen\"}}").statusCode()).isEqualTo(201);
        Path first = out.resolve("v1/it.routes:kitchen-1.json");
        Awaitility.await().atMost(WAIT).until(() -> Files.exists(first));
        assertThat(Files.readString(first)).contains("\"topic\":\"it.routes/kitchen/things/twin/events/created\"");
        assertThat(out.resolve("v1/it.routes:hall-1.json")).doesNotExist();

        // a route that patches a twin
        Path patch = folder.resolve("it-patch.yaml");
        Files.writeString(patch, """
                - route:
                    id: it-patch
                    from:
                      uri: timer:it-patch?repeatCount=1
                      steps:
                        - setBody:
                            constant: '{"attributes":{"patched":true}}'
                        - to: rosetta:patch?thingId=it.routes:kitchen
                """);
        Awaitility.await().atMost(WAIT).until(() -> send(http, base, "GET", "/api/2/things/it.routes:kitchen/attributes/patched", "").body().equals("true"));
        Awaitility.await().atMost(WAIT).until(() -> Files.exists(out.resolve("v1/it.routes:kitchen-2.json")));
        assertThat(routes.patchesApplied()).isEqualTo(1);

        // changed: reloaded
        Files.writeString(events, eventsRoute("it-events", "v2"));
        Awaitility.await().atMost(WAIT).until(() -> routes.filesLoaded() >= loaded + 3);
        assertThat(send(http, base, "PATCH", "/api/2/things/it.routes:kitchen/attributes", "{\"level\":3}").statusCode()).isEqualTo(204);
        Awaitility.await().atMost(WAIT).until(() -> Files.exists(out.resolve("v2/it.routes:kitchen-3.json")));
        assertThat(out.resolve("v1/it.routes:kitchen-3.json")).doesNotExist();

        // broken: counted, the others keep running
        long failed = routes.filesFailed();
        Files.writeString(folder.resolve("it-broken.yaml"), "- route:\n    from: [oops\n");
        Awaitility.await().atMost(WAIT).until(() -> state("it-broken.yaml").map(RouteFile::state).orElse(null) == State.FAILED);
        assertThat(routes.filesFailed()).isEqualTo(failed + 1);
        assertThat(state("it-broken.yaml").orElseThrow().error()).contains("it-broken.yaml").contains("line 2");
        assertThat(state("it-events.yaml").orElseThrow().state()).isEqualTo(State.RUNNING);

        // deleted: removed
        long removed = routes.filesRemoved();
        Files.delete(events);
        Files.delete(patch);
        Files.delete(folder.resolve("it-broken.yaml"));
        Awaitility.await().atMost(WAIT).until(() -> routes.filesRemoved() == removed + 3);
        assertThat(routes.files()).extracting(f -> f.file().getFileName().toString()).doesNotContain("it-events.yaml", "it-patch.yaml");
        long delivered = routes.eventsDelivered();
        assertThat(send(http, base, "PATCH", "/api/2/things/it.routes:kitchen/attributes", "{\"level\":4}").statusCode()).isEqualTo(204);
        // a sentinel route dropped after the deletion sees the next change; the deleted route wrote nothing more
        Files.writeString(folder.resolve("it-sentinel.yaml"), eventsRoute("it-sentinel", "sentinel"));
        Awaitility.await().atMost(WAIT).until(() -> state("it-sentinel.yaml").map(RouteFile::state).orElse(null) == State.RUNNING);
        assertThat(send(http, base, "PATCH", "/api/2/things/it.routes:kitchen/attributes", "{\"level\":5}").statusCode()).isEqualTo(204);
        Awaitility.await().atMost(WAIT).until(() -> Files.exists(out.resolve("sentinel/it.routes:kitchen-5.json")));
        assertThat(out.resolve("v2/it.routes:kitchen-4.json")).doesNotExist();
        assertThat(out.resolve("v2/it.routes:kitchen-5.json")).doesNotExist();
        assertThat(routes.eventsDelivered()).isEqualTo(delivered + 1);
        Files.delete(folder.resolve("it-sentinel.yaml"));
    }

    private Optional<RouteFile> state(String name) {
        return routes.files().stream().filter(f -> f.file().getFileName().toString().equals(name)).findFirst();
    }

    private static String eventsRoute(String id, String dir) {
        return """
                - route:
                    id: %s
                    from:
                      uri: rosetta:events
                      parameters:
                        namespaces: it.routes
                        filter: eq(attributes/room,"kitchen")
                      steps:
                        - to: "file:{{karaf.data}}/it-routes/%s?fileName=${header.RosettaThingId}-${header.RosettaRevision}.json"
                """.formatted(id, dir);
    }

    /** Server-sent event data lines. */
    private static final class Lines implements Flow.Subscriber<List<ByteBuffer>> {
        private final Flow.Subscription[] subscription;
        private final List<String> data;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(Flow.Subscription[] subscription, List<String> data) {
            this.subscription = subscription;
            this.data = data;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription[0] = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    byte c = b.get();
                    if (c == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        if (text.startsWith("data: ")) {
                            data.add(text.substring(6));
                        }
                        line.reset();
                    } else {
                        line.write(c);
                    }
                }
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }

    /** Whole text messages of a WebSocket. */
    private static final class Collecting implements WebSocket.Listener {
        private final List<String> messages;
        private final StringBuilder partial = new StringBuilder();

        Collecting(List<String> messages) {
            this.messages = messages;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
            partial.append(text);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
