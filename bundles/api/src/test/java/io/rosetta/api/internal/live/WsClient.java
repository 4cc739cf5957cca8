package io.rosetta.api.internal.live;

import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket client (the JDK's) that keeps every text message it receives. */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    final List<String> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    volatile int closeCode = -1;
    private WebSocket socket;

    static WsClient connect(LiveServer server) throws Exception {
        WsClient client = new WsClient();
        client.socket = server.http.newWebSocketBuilder().header("Authorization", LiveServer.basic(LiveServer.USER, LiveServer.PASSWORD))
                .connectTimeout(Duration.ofSeconds(5)).buildAsync(server.ws(), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a message and waits for the message with its correlation id. */
    JsonObject request(String envelope) {
        String correlationId = ((JsonString) Json.parseObject(envelope).getValue(JsonPointer.of("/headers/correlation-id")).orElseThrow()).value();
        send(envelope);
        return awaitMessage(m -> correlationId.equals(header(m, "correlation-id")));
    }

    JsonObject awaitMessage(java.util.function.Predicate<JsonObject> which) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().filter(t -> t.startsWith("{")).map(Json::parseObject)
                .filter(which).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    void awaitText(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(text));
    }

    /** The envelopes received with this topic. */
    List<JsonObject> withTopic(String topic) {
        return received.stream().filter(t -> t.startsWith("{")).map(Json::parseObject)
                .filter(o -> JsonString.of(topic).equals(o.getOrNull("topic"))).toList();
    }

    static String header(JsonObject envelope, String name) {
        return envelope.getValue(JsonPointer.of("headers", name)).map(v -> v instanceof JsonString s ? s.value() : Json.write(v)).orElse(null);
    }

    boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
