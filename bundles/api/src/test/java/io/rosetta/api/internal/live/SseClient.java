package io.rosetta.api.internal.live;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/** Reads a server-sent event stream with the JDK's HttpClient, line by line as it arrives. */
public final class SseClient implements AutoCloseable {

    public record Event(String id, String type, String data) {
    }

    public final HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
    private final List<String> lines = new ArrayList<>();
    /** When each {@code data:} line arrived (System.nanoTime), in order. */
    private final List<Long> dataNanos = new ArrayList<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean ended;

    private SseClient(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        this.response = response;
    }

    static SseClient open(LiveServer server, String pathAndQuery, String lastEventId) throws Exception {
        HttpRequest.Builder request = server.sse(pathAndQuery);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return open(server, request);
    }

    static SseClient open(LiveServer server, HttpRequest.Builder request) throws Exception {
        return open(server.http, request);
    }

    /** Sends the request and reads the answer's body as an event stream; returns once the answer's headers are in. */
    public static SseClient open(HttpClient http, HttpRequest.Builder request) throws Exception {
        SseClient client = new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofPublisher()));
        client.start();
        return client;
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
                        if (c == '\n') {
                            String text = line.toString(StandardCharsets.UTF_8);
                            synchronized (lines) {
                                lines.add(text);
                                if (text.startsWith("data: ")) {
                                    dataNanos.add(System.nanoTime());
                                }
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
                ended = true;
            }

            @Override
            public void onComplete() {
                ended = true;
            }
        });
    }

    /** The complete events received so far (comments skipped). */
    public List<Event> events() {
        List<Event> out = new ArrayList<>();
        String id = null;
        String type = null;
        StringBuilder data = null;
        List<String> copy;
        synchronized (lines) {
            copy = new ArrayList<>(lines);
        }
        for (String l : copy) {
            if (l.isEmpty()) {
                if (data != null) {
                    out.add(new Event(id, type, data.toString()));
                }
                id = null;
                type = null;
                data = null;
            } else if (l.startsWith("id: ")) {
                id = l.substring(4);
            } else if (l.startsWith("event: ")) {
                type = l.substring(7);
            } else if (l.startsWith("data: ")) {
                data = data == null ? new StringBuilder(l.substring(6)) : data.append('\n').append(l.substring(6));
            }
        }
        return out;
    }

    public List<String> data() {
        return events().stream().map(Event::data).toList();
    }

    List<Long> dataNanos() {
        synchronized (lines) {
            return new ArrayList<>(dataNanos);
        }
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
