package io.rosetta.benchmarks.e2e;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;

/**
 * An application following the twins: Rosetta's server-sent events ({@code GET /api/2/things} with
 * {@code Accept: text/event-stream}), read on a thread of its own; each event's data is handed to the
 * {@link MarkTracker} with the time it was read. Like a browser's {@code EventSource} it reconnects with
 * {@code Last-Event-ID} when the server ends the stream (it does so to a client that fell too far behind),
 * and counts the reconnections.
 */
public final class SseSubscriber implements AutoCloseable {

    private final MarkTracker tracker;
    /**
     * HTTP/1.1, as a browser's {@code EventSource} speaks to an {@code http://} server (and as the Node-RED side's WebSocket
     * does): the JDK client would otherwise upgrade to cleartext HTTP/2 and have the server frame and flow-control each event.
     */
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final String authorization;
    private final Thread reader;
    final LongAdder events = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    private volatile boolean closed;
    private volatile String failure;
    private volatile InputStream in;
    private volatile String lastEventId;

    public SseSubscriber(String api, String user, String password, String namespace, MarkTracker tracker)
            throws IOException, InterruptedException {
        this.tracker = tracker;
        this.uri = URI.create(api + "/api/2/things?namespaces=" + namespace);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.in = open();
        this.reader = new Thread(this::read, "sse-subscriber");
        reader.setDaemon(true);
        reader.start();
    }

    private InputStream open() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").header("Authorization", authorization);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException("SSE request answered " + response.statusCode() + ": " + body);
        }
        return response.body();
    }

    private void read() {
        while (!closed) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                while (!closed && (line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        long now = System.nanoTime();
                        events.increment();
                        JsonValue v = Json.parse(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
                        if (v instanceof JsonObject o && o.getOrNull("thingId") instanceof JsonString id
                                && o.getOrNull("features") instanceof JsonObject features) {
                            tracker.event(id.value().substring(id.value().indexOf(':') + 1), features, now);
                        }
                    } else if (line.startsWith("id:")) {
                        lastEventId = line.substring(3).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = String.valueOf(e);
            }
            if (closed) {
                return;
            }
            // the server ended the stream: resume after the last event read, as EventSource does
            reconnects.increment();
            try {
                Thread.sleep(200);
                in = open();
            } catch (IOException e) {
                failure = "reconnecting: " + e;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public long events() {
        return events.sum();
    }

    /** How often the stream ended and was resumed. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Why the stream could not be resumed, or {@code null} while it runs. */
    public String failure() {
        return reader.isAlive() || closed ? null : failure;
    }

    @Override
    public void close() {
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.interrupt();
    }
}
