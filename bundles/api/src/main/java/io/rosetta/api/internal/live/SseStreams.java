package io.rosetta.api.internal.live;

import io.rosetta.api.internal.auth.Access;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import io.rosetta.security.Permissions;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/2/things} with {@code Accept: text/event-stream}: a stream of the changes of the
 * things the client selects ({@code namespaces}, {@code ids}, an RQL {@code filter} on the twin after the
 * change: {@link LiveFilter}), each event the changed part of the
 * thing ({@code fields} selects from it), with {@code id:} for {@code Last-Event-ID}. Other
 * requests pass on to the things API.
 */
final class SseStreams implements Handler<RoutingContext> {

    static final String MEDIA_TYPE = "text/event-stream";

    private final Authenticator authenticator;
    private final LiveEventLog log;
    private final LiveMetrics metrics;
    private final int buffer;
    private final int lingerMillis;
    private final Supplier<ThingFilters> filters;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    /** @param lingerMillis {@value LiveWriteConfig#LINGER_KEY} of each stream ({@link LiveConnection}) */
    SseStreams(Authenticator authenticator, LiveEventLog log, LiveMetrics metrics, int buffer, int lingerMillis, Supplier<ThingFilters> filters) {
        this.lingerMillis = lingerMillis;
        this.authenticator = authenticator;
        this.log = log;
        this.metrics = metrics;
        this.buffer = buffer;
        this.filters = filters;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains(MEDIA_TYPE)) {
            ctx.next();
            return;
        }
        String authorization = request.getHeader("Authorization");
        Context context = ctx.vertx().getOrCreateContext();
        // a JAAS login may block: off the event loop
        context.executeBlocking(() -> authenticator.authenticate(authorization), false).onComplete(ar -> {
            if (ar.failed()) {
                LiveResponses.error(ctx.response(), LiveResponses.asTwinException(ar.cause()), metrics);
                return;
            }
            try {
                start(ctx, context, ar.result());
            } catch (RuntimeException e) {
                LiveResponses.error(ctx.response(), LiveResponses.asTwinException(e), metrics);
            }
        });
    }

    private void start(RoutingContext ctx, Context context, ApiUser user) {
        Access.requireAnyRead(user);
        LiveFilter filter = LiveFilter.of(name -> parameter(ctx, name), filters.get());
        FieldSelector fields = fields(parameter(ctx, "fields"));
        String lastEventId = ctx.request().getHeader("Last-Event-ID");
        Long resumeAfter = lastEventId == null || lastEventId.isBlank() ? null : parseId(lastEventId.trim());
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", MEDIA_TYPE + ";charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        Connection connection = new Connection(context, response, filter, fields, user.permissions());
        open.add(connection);
        metrics.sseOpen.incrementAndGet();
        metrics.sseOpened.increment();
        response.closeHandler(v -> connection.close());
        response.exceptionHandler(e -> connection.close());
        if (response.closed()) {
            // the client went away before the handlers were in place
            connection.close();
            return;
        }
        if (resumeAfter == null) {
            log.listen(connection);
        } else {
            metrics.sseResumed.increment();
            log.resume(resumeAfter, connection, resume -> {
                if (resume.gap()) {
                    metrics.sseGaps.increment();
                    connection.enqueueAll(List.of(Connection.gap(resumeAfter)));
                } else {
                    connection.enqueueAll(resume.replay());
                }
            });
        }
        // the headers go out now, after the connection listens (its events are written on this context, after this write):
        // a client that has seen the stream open gets every event from then on
        response.write(":\n\n");
    }

    /** Closes every open stream (the API is going away). */
    void closeAll() {
        for (Connection c : open) {
            c.context().runOnContext(v -> {
                c.close();
                c.response.reset();
            });
        }
    }

    int open() {
        return open.size();
    }

    private static String parameter(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    private static FieldSelector fields(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return FieldSelector.of(text);
        } catch (TwinException | IllegalArgumentException e) {
            throw new TwinException(400, "json.fieldselector.invalid", "The field selector <" + text + "> is not valid: " + e.getMessage(),
                    "Write e.g. fields=thingId,attributes/location,features(temperature)");
        }
    }

    private static long parseId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new TwinException(400, "things:lastEventId.invalid", "The Last-Event-ID <" + text + "> was not issued by this server.",
                    "Send the id of the last event received, or leave the header out to start from now.");
        }
    }

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    /** One SSE client. */
    private final class Connection extends LiveConnection {

        private final HttpServerResponse response;
        private final LiveFilter filter;
        private final FieldSelector fields;

        Connection(Context context, HttpServerResponse response, LiveFilter filter, FieldSelector fields, Permissions permissions) {
            super(context, buffer, lingerMillis, permissions);
            this.response = response;
            this.filter = filter;
            this.fields = fields;
        }

        /** A marker that writes the {@code gap} event: the events after {@code lastSeq} are no longer known. */
        static LiveEvent gap(long lastSeq) {
            return new LiveEvent(lastSeq, null);
        }

        @Override
        boolean accepts(LiveEvent event) {
            return filter.matches(event);
        }

        @Override
        LiveFilter filter() {
            return filter;
        }

        @Override
        void write(List<LiveEvent> batch) {
            // the batch as one buffer: each event's data is the UTF-8 JSON it was written as once, copied in once
            Buffer out = Buffer.buffer(batch.size() * 192);
            int sent = 0;
            for (LiveEvent e : batch) {
                if (e.event() == null) {
                    out.appendString("event: gap\ndata: ").appendString(Json.write(JsonObject.newBuilder().set("lastEventId", String.valueOf(e.seq()))
                            .set("message", "Events after this id are no longer kept; the stream continues from now. "
                                    + "Read the current state with GET /api/2/things?ids=...").build())).appendBytes(END);
                    continue;
                }
                byte[] data = e.sseData(fields);
                if (data != null) {
                    out.appendBytes(ID).appendString(Long.toString(e.seq())).appendBytes(DATA).appendBytes(data).appendBytes(END);
                    sent++;
                }
            }
            if (out.length() > 0) {
                response.write(out);
                metrics.sseEvents.add(sent);
            }
        }

        @Override
        boolean writeQueueFull() {
            return response.writeQueueFull();
        }

        @Override
        void whenWritable(Runnable then) {
            response.drainHandler(v -> then.run());
        }

        @Override
        void overflow() {
            metrics.sseSlowClosed.increment();
            close();
            // a stream cut short: the client reconnects with Last-Event-ID and resumes from the ring
            response.reset();
        }

        @Override
        void close() {
            if (!isClosed()) {
                super.close();
                log.remove(this);
                if (open.remove(this)) {
                    metrics.sseOpen.decrementAndGet();
                }
            }
        }
    }
}
