package io.rosetta.benchmarks.headline;

import io.rosetta.benchmarks.e2e.MarkTracker;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An application following twin updates over a WebSocket: each text frame is one update
 * {@code {"thingId":"<ns>:<name>","features":{...}}} (the shape of Rosetta's events), handed to the
 * {@link MarkTracker} with the time it arrived, exactly as {@code SseSubscriber} does for Rosetta's event stream.
 */
final class WebSocketSubscriber implements AutoCloseable {

    private final MarkTracker tracker;
    private final WebSocket socket;
    final LongAdder frames = new LongAdder();
    final LongAdder malformed = new LongAdder();
    private volatile String failure;

    WebSocketSubscriber(URI uri, MarkTracker tracker) throws Exception {
        this.tracker = tracker;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).get(15, TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
            } else {
                long now = System.nanoTime();
                String text = partial.isEmpty() ? data.toString() : partial.append(data).toString();
                partial.setLength(0);
                frames.increment();
                handle(text, now);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            failure = "the server closed the WebSocket: " + status + " " + reason;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failure = String.valueOf(error);
        }
    }

    private void handle(String text, long now) {
        try {
            JsonValue v = Json.parse(text);
            if (v instanceof JsonObject o && o.getOrNull("thingId") instanceof JsonString id
                    && o.getOrNull("features") instanceof JsonObject features) {
                tracker.event(id.value().substring(id.value().indexOf(':') + 1), features, now);
            } else {
                malformed.increment();
            }
        } catch (RuntimeException e) {
            malformed.increment();
        }
    }

    String failure() {
        return failure;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        socket.abort();
    }
}
