package io.rosetta.search.internal;

import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** JDK HttpClient clients of the live streams: a server-sent event reader and a WebSocket that keeps its messages. */
final class StreamClients {

    private StreamClients() {
    }

    /** Reads {@code data:} lines of a server-sent event stream as they arrive. */
    static final class Sse implements AutoCloseable {

        final HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        private final List<String> data = new CopyOnWriteArrayList<>();
        private final List<String> ids = new CopyOnWriteArrayList<>();
        private volatile Flow.Subscription subscription;

        private Sse(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
            this.response = response;
        }

        static Sse open(HttpClient http, HttpRequest request) throws Exception {
            Sse sse = new Sse(http.send(request, HttpResponse.BodyHandlers.ofPublisher()));
            if (sse.response.statusCode() == 200) {
                sse.start();
            }
            return sse;
        }

        private void start() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            response.body().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(List<ByteBuffer> buffers) {
                    for (ByteBuffer b : buffers) {
                        while (b.hasRemaining()) {
                            byte c = b.get();
                            if (c != '\n') {
                                line.write(c);
                                continue;
                            }
                            String text = line.toString(StandardCharsets.UTF_8);
                            line.reset();
                            if (text.startsWith("data: ")) {
                                data.add(text.substring(6));
                            } else if (text.startsWith("id: ")) {
                                ids.add(text.substring(4));
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
            });
        }

        /** The events' data, parsed. */
        List<JsonObject> events() {
            return data.stream().map(Json::parseObject).toList();
        }

        List<String> ids() {
            return List.copyOf(ids);
        }

        @Override
        public void close() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** A WebSocket (the JDK's) that keeps every text message it receives. */
    static final class Ws implements WebSocket.Listener, AutoCloseable {

        final List<String> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static Ws connect(LiveStreamsServer server, String authorization) throws Exception {
            Ws ws = new Ws();
            ws.socket = server.http.newWebSocketBuilder().header("Authorization", authorization).connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(server.ws(), ws).get(10, TimeUnit.SECONDS);
            return ws;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence text, boolean last) {
            partial.append(text);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        void awaitText(String text) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(text));
        }

        List<JsonObject> envelopes() {
            List<JsonObject> out = new ArrayList<>();
            for (String t : received) {
                if (t.startsWith("{")) {
                    out.add(Json.parseObject(t));
                }
            }
            return out;
        }

        JsonObject awaitEnvelope(Predicate<JsonObject> which) {
            return await().atMost(Duration.ofSeconds(10)).until(() -> envelopes().stream().filter(which).findFirst().orElse(null),
                    java.util.Objects::nonNull);
        }

        static String string(JsonObject envelope, String pointer) {
            return envelope.getValue(JsonPointer.of(pointer)).map(v -> v instanceof JsonString s ? s.value() : Json.write(v)).orElse(null);
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
            socket.abort();
        }
    }
}
