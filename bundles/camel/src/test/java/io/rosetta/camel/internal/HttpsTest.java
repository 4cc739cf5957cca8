package io.rosetta.camel.internal;

import static io.rosetta.camel.internal.CamelRuntimeTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS beside plain HTTP with the same routes, the keystore generated at first start, a wrong keystore
 * password, and WebSocket frames above Vert.x's 64 kB default — all over real connections with the JDK's
 * HTTP and WebSocket clients.
 */
class HttpsTest {

    @TempDir
    Path etc;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void theSameRoutesAnswerOnHttpAndOnHttpsWithTheGeneratedCertificate() throws Exception {
        Path keystore = etc.resolve(HttpsKeyStore.DEFAULT_FILE);
        CamelRuntime runtime = start(tlsSettings(keystore, ""));
        assertThat(runtime.httpListening()).isTrue();
        assertThat(runtime.httpsListening()).isTrue();
        addRoutes(runtime);

        // generated at first start: the keystore and its password, readable by the owner only
        Path passwordFile = HttpsKeyStore.passwordFileOf(keystore);
        assertThat(keystore).isRegularFile();
        assertThat(passwordFile).isRegularFile();
        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(keystore)).isEqualTo(ownerOnly);
        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(ownerOnly);
        X509Certificate certificate = certificateOf(keystore, Files.readString(passwordFile).strip());
        assertThat(certificate.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).collect(Collectors.toSet()))
                .contains("localhost", "127.0.0.1");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(runtime.server().certificateFingerprint()).isEqualTo(HttpsKeyStore.fingerprintOf(certificate));

        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).connectTimeout(Duration.ofSeconds(5)).build();
        for (String base : List.of("http://127.0.0.1:" + runtime.httpPort(), "https://127.0.0.1:" + runtime.httpsPort())) {
            HttpResponse<String> hello = trusting.send(HttpRequest.newBuilder(URI.create(base + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).as(base).isEqualTo(200);
            assertThat(hello.body()).as(base).isEqualTo("hi " + (base.startsWith("https") ? "https" : "http"));

            HttpResponse<String> stream = trusting.send(HttpRequest.newBuilder(URI.create(base + "/events")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stream.headers().firstValue("Content-Type")).as(base).hasValue("text/event-stream");
            assertThat(stream.body()).as(base).isEqualTo("data: one\n\ndata: two\n\n");

            String ws = base.replaceFirst("^http", "ws") + "/echo";
            Echo echo = new Echo();
            WebSocket socket = trusting.newWebSocketBuilder().buildAsync(URI.create(ws), echo).get(10, TimeUnit.SECONDS);
            socket.sendText("ping", true);
            assertThat(echo.messages.poll()).as(ws).isEqualTo("ping");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }

        // a client that does not trust the certificate is refused
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + runtime.httpsPort() + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theGeneratedKeystoreIsKeptAcrossRestarts() throws Exception {
        Path keystore = etc.resolve(HttpsKeyStore.DEFAULT_FILE);
        CamelRuntime first = start(tlsSettings(keystore, ""));
        String fingerprint = first.server().certificateFingerprint();
        byte[] bytes = Files.readAllBytes(keystore);
        first.stop();

        CamelRuntime second = start(tlsSettings(keystore, ""));
        assertThat(second.httpsListening()).isTrue();
        assertThat(second.server().certificateFingerprint()).isEqualTo(fingerprint);
        assertThat(Files.readAllBytes(keystore)).isEqualTo(bytes);
        assertThat(second.server().keyStore().generated()).isTrue();
    }

    @Test
    void aConfiguredKeystoreIsServed() throws Exception {
        Path keystore = etc.resolve("server.p12");
        HttpsKeyStore.Opened made = HttpsKeyStore.generate(keystore, etc.resolve("elsewhere.txt"), List.of("rosetta.example"));
        Files.delete(etc.resolve("elsewhere.txt"));

        CamelRuntime runtime = start(tlsSettings(keystore, made.password()));
        addRoutes(runtime);
        assertThat(runtime.httpsListening()).isTrue();
        assertThat(runtime.server().keyStore().generated()).isFalse();
        assertThat(HttpsKeyStore.passwordFileOf(keystore)).doesNotExist();
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(made.certificate())).build();
        assertThat(trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + runtime.httpsPort() + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hi https");
        assertThat(made.certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList()).contains("rosetta.example");
    }

    @Test
    void aWrongKeystorePasswordIsOneClearErrorAndPlainHttpKeepsWorking() throws Exception {
        Path keystore = etc.resolve("server.p12");
        HttpsKeyStore.generate(keystore, etc.resolve("server.p12.password"), List.of());

        String log = capturingStandardError(() -> {
            CamelRuntime runtime = start(tlsSettings(keystore, "not-the-password"));
            addRoutes(runtime);
            assertThat(runtime.httpsListening()).isFalse();
            assertThat(runtime.httpListening()).isTrue();
            assertThat(runtime.server().httpsPort()).isEqualTo(-1);
            assertThat(runtime.context().isStarted()).isTrue();
            HttpResponse<String> plain = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.body()).isEqualTo("hi http");
        });
        assertThat(log).contains("ERROR").contains("HTTPS on port").contains("is off: the password of the keystore " + keystore + " is wrong")
                .contains("check https.keystore.password").contains("Plain HTTP keeps running");
    }

    @Test
    void keystoreProblemsSayWhatToChange() throws Exception {
        Path keystore = etc.resolve("server.p12");
        assertThatThrownBy(() -> HttpsKeyStore.open(tls(keystore, "secret")))
                .hasMessageContaining("cannot be read").hasMessageContaining("https.keystore.path");
        Files.writeString(keystore, "not a keystore");
        assertThatThrownBy(() -> HttpsKeyStore.open(tls(keystore, "")))
                .hasMessageContaining("password is neither configured (https.keystore.password) nor readable from " + keystore + ".password");
        HttpsKeyStore.Opened made = HttpsKeyStore.generate(keystore, etc.resolve("server.p12.password"), List.of());
        assertThatThrownBy(() -> HttpsKeyStore.load(keystore, "PKCS12", made.password(), "nobody", false))
                .hasMessageContaining("no private key named 'nobody'").hasMessageContaining("https.key.alias");
        assertThatThrownBy(() -> HttpsKeyStore.load(keystore, "NOPE", made.password(), "", false))
                .hasMessageContaining("keystore type 'NOPE'");
    }

    @Test
    void onlyHttpsWhenPlainHttpIsOff() throws Exception {
        CamelRuntime runtime = start(tlsSettings(etc.resolve("https.p12"), "").withoutPlain());
        addRoutes(runtime);
        assertThat(runtime.httpListening()).isFalse();
        assertThat(runtime.httpsListening()).isTrue();
        assertThat(runtime.router()).isNotNull();
        X509Certificate certificate = runtime.server().keyStore().certificate();
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
        assertThat(trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + runtime.httpsPort() + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hi https");
    }

    @Test
    void webSocketFramesAboveVertxsDefaultArriveAndTooLargeOnesCloseTheSocketWith1009() throws Exception {
        CamelRuntime runtime = start(HttpSettings.plain("127.0.0.1", freePort()));
        addRoutes(runtime);
        URI echoUri = URI.create("ws://127.0.0.1:" + runtime.httpPort() + "/echo");

        // 300 kB with the JDK client: above Vert.x's default limit of 64 kB, below the default 1 MiB
        Echo echo = new Echo();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(echoUri, echo).get(10, TimeUnit.SECONDS);
        String big = "x".repeat(300_000);
        socket.sendText(big, true).get(10, TimeUnit.SECONDS);
        assertThat(echo.messages.poll()).hasSize(big.length());

        // single frames, as the Ditto client sends its messages: 300 kB arrive, 1.5 MiB close the socket with 1009 and a reason
        WebSocketClient client = runtime.vertx().createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(4 << 20).setMaxMessageSize(4 << 20));
        io.vertx.core.http.WebSocket vertxSocket = client.connect(runtime.httpPort(), "127.0.0.1", "/echo")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Messages echoed = new Messages();
        CompletableFuture<Echo.Close> closed = new CompletableFuture<>();
        vertxSocket.textMessageHandler(echoed::add);
        vertxSocket.closeHandler(v -> closed.complete(new Echo.Close(vertxSocket.closeStatusCode(), vertxSocket.closeReason())));
        vertxSocket.writeFrame(WebSocketFrame.textFrame(big, true));
        assertThat(echoed.poll()).hasSize(big.length());
        vertxSocket.writeFrame(WebSocketFrame.textFrame("y".repeat(1_572_864), true));
        Echo.Close close = closed.get(10, TimeUnit.SECONDS);
        assertThat(close.status()).isEqualTo(1009);
        assertThat(close.reason()).contains("Max frame length of 1048576 has been exceeded");
        assertThat(runtime.server().webSocketFramesTooLarge()).isEqualTo(1);
        assertThat(runtime.server().webSocketProtocolErrors()).isZero();

        // the server goes on serving the other sockets
        socket.sendText("still here", true);
        assertThat(echo.messages.poll()).isEqualTo("still here");
        client.close();
    }

    @Test
    void theFrameLimitIsConfigurable() throws Exception {
        CamelRuntime runtime = start(HttpSettings.plain("127.0.0.1", freePort()).withWebSocketLimits(4096, 8192));
        addRoutes(runtime);
        assertThat(runtime.server().maxWebSocketFrameBytes()).isEqualTo(4096);
        Echo echo = new Echo();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + runtime.httpPort() + "/echo"), echo).get(10, TimeUnit.SECONDS);
        socket.sendText("z".repeat(4096), true);
        assertThat(echo.messages.poll()).hasSize(4096);
        socket.sendText("z".repeat(4097), true);
        assertThat(echo.closed.get(10, TimeUnit.SECONDS).status()).isEqualTo(1009);
        assertThat(runtime.server().webSocketFramesTooLarge()).isEqualTo(1);
    }

    // ---- helpers

    private HttpSettings tlsSettings(Path keystore, String password) throws Exception {
        return HttpSettings.plain("127.0.0.1", freePort()).withTls(tls(keystore, password));
    }

    private static HttpSettings.Tls tls(Path keystore, String password) throws Exception {
        return new HttpSettings.Tls("127.0.0.1", freePort(), keystore, password, "PKCS12", "", List.of());
    }

    private CamelRuntime start(HttpSettings settings) {
        CamelRuntime runtime = new CamelRuntime(settings, getClass().getClassLoader());
        cleanup.add(0, () -> {
            if (!runtime.context().isStopped()) {
                runtime.stop();
            }
        });
        return runtime;
    }

    /**
     * A platform-http route that says which scheme it was called with, and — as the API bundle installs its live
     * APIs — Vert.x handlers on the same router: an event stream and a WebSocket echo (whole messages).
     */
    private static void addRoutes(CamelRuntime runtime) throws Exception {
        runtime.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/hello").process(e -> e.getMessage().setBody("hi " + (e.getMessage(HttpMessage.class).getRequest().isSSL() ? "https" : "http")));
            }
        });
        runtime.router().get("/events").order(-100).handler(ctx -> {
            HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            response.write("data: one\n\n");
            response.end("data: two\n\n");
        });
        runtime.router().route("/echo").order(-100).handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage)));
    }

    private static X509Certificate certificateOf(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        return (X509Certificate) store.getCertificate(store.aliases().nextElement());
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("rosetta", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        return context;
    }

    interface Body {
        void run() throws Exception;
    }

    private static String capturingStandardError(Body body) throws Exception {
        PrintStream previous = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(previous);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        previous.print(text);
        return text;
    }

    /** A JDK WebSocket listener that puts whole text messages into a queue and remembers the close. */
    static final class Echo implements WebSocket.Listener {
        record Close(int status, String reason) {
        }

        final Messages messages = new Messages();
        final CompletableFuture<Close> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /** Whole messages received, taken with a timeout. */
    static final class Messages {
        private final java.util.concurrent.LinkedBlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>();

        void add(String m) {
            queue.add(m);
        }

        String poll() throws InterruptedException {
            String m = queue.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return m;
        }
    }
}
