package io.rosetta.api.internal.live;

import io.rosetta.api.ditto.DittoCommands;
import io.rosetta.api.ditto.DittoEnvelope;
import io.rosetta.api.ditto.DittoProtocolException;
import io.rosetta.api.internal.auth.Access;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/2}: Eclipse Ditto's WebSocket protocol. The upgrade request is authenticated with
 * HTTP Basic like every other request (401 without valid credentials, no upgrade). On the socket:
 * twin commands as Ditto protocol envelopes, executed in the order received, one at a time per
 * socket, off the event loop, each answered with its response or an error envelope (a bad envelope
 * never closes the socket); {@code START-SEND-EVENTS[?namespaces=..&ids=..&filter=..&extraFields=..]} and
 * {@code STOP-SEND-EVENTS}, acknowledged with {@code :ACK}; twin events while subscribed.
 */
final class DittoWebSockets implements Handler<RoutingContext> {

    static final String PATH = "/ws/2";
    private static final Logger LOG = LoggerFactory.getLogger(DittoWebSockets.class);
    private static final String START_EVENTS = "START-SEND-EVENTS";
    private static final String STOP_EVENTS = "STOP-SEND-EVENTS";

    private final Authenticator authenticator;
    private final DittoCommands commands;
    private final LiveEventLog log;
    private final LiveMetrics metrics;
    private final int buffer;
    private final int lingerMillis;
    private final int maxPending;
    private final int maxMessageBytes;
    private final Supplier<ThingFilters> filters;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** @param lingerMillis {@value LiveWriteConfig#LINGER_KEY} of each socket's events ({@link LiveConnection}) */
    DittoWebSockets(Authenticator authenticator, DittoCommands commands, LiveEventLog log, LiveMetrics metrics, int buffer, int lingerMillis,
            int maxPending, int maxMessageBytes, Supplier<ThingFilters> filters) {
        this.lingerMillis = lingerMillis;
        this.maxMessageBytes = maxMessageBytes;
        this.filters = filters;
        this.authenticator = authenticator;
        this.commands = commands;
        this.log = log;
        this.metrics = metrics;
        this.buffer = buffer;
        this.maxPending = maxPending;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            LiveResponses.error(ctx.response(), new TwinException(400, "gateway:websocket.required",
                    "The resource " + PATH + " speaks the Ditto protocol over a WebSocket only.",
                    "Open a WebSocket (Upgrade: websocket) with HTTP Basic credentials."), metrics);
            return;
        }
        // the upgrade waits for the (possibly blocking) login
        request.pause();
        String authorization = request.getHeader("Authorization");
        Context context = ctx.vertx().getOrCreateContext();
        context.executeBlocking(() -> authenticator.authenticate(authorization), false).onComplete(ar -> {
            if (ar.failed()) {
                request.resume();
                LiveResponses.error(ctx.response(), LiveResponses.asTwinException(ar.cause()), metrics);
                return;
            }
            ApiUser user = ar.result();
            try {
                Access.requireAnyRead(user);
            } catch (TwinException refused) {
                request.resume();
                LiveResponses.error(ctx.response(), refused, metrics);
                return;
            }
            request.toWebSocket().onComplete(upgraded -> {
                if (upgraded.failed()) {
                    LOG.debug("WebSocket upgrade of {} failed: {}", user.name(), upgraded.cause().toString());
                    return;
                }
                Socket socket = new Socket(context, upgraded.result(), user);
                open.add(socket);
                metrics.wsOpen.incrementAndGet();
                metrics.wsOpened.increment();
                socket.start();
            });
        });
    }

    void closeAll() {
        for (Socket s : open) {
            s.context().runOnContext(v -> {
                s.close();
                s.ws.close((short) 1001, "The server is going away");
            });
        }
    }

    int open() {
        return open.size();
    }

    /** One client's socket. Command state is touched on the socket's context only. */
    private final class Socket extends LiveConnection {

        private final ServerWebSocket ws;
        private final ApiUser user;
        private final ArrayDeque<DittoEnvelope> pending = new ArrayDeque<>();
        private boolean executing;
        private Buffer message;
        private boolean tooLarge;
        private volatile boolean listening;
        private volatile LiveFilter filter = LiveFilter.ALL;
        private volatile FieldSelector extraFields;

        Socket(Context context, ServerWebSocket ws, ApiUser user) {
            super(context, buffer, lingerMillis, user.permissions());
            this.ws = ws;
            this.user = user;
        }

        void start() {
            // messages are put together here rather than by Vert.x, which drops a message above its limit silently
            ws.frameHandler(this::onFrame);
            ws.closeHandler(v -> close());
            ws.exceptionHandler(e -> LOG.debug("WebSocket of {}: {}", user.name(), e.toString()));
            if (ws.isClosed()) {
                close();
            }
        }

        private void onFrame(WebSocketFrame frame) {
            if (frame.isText() || frame.isBinary()) {
                message = Buffer.buffer();
                tooLarge = false;
            } else if (!frame.isContinuation() || message == null) {
                return;
            }
            Buffer data = frame.binaryData();
            if (!tooLarge) {
                if (message.length() + data.length() > maxMessageBytes) {
                    tooLarge = true;
                    message = Buffer.buffer();
                } else {
                    message.appendBuffer(data);
                }
            }
            if (frame.isFinal()) {
                Buffer complete = message;
                message = null;
                if (tooLarge) {
                    TwinException e = new TwinException(413, "things:thing.toolarge",
                            "The message is larger than the allowed " + maxMessageBytes + " bytes.",
                            "Send smaller messages: change parts of the thing rather than the whole.");
                    refuse(DittoEnvelope.error(null, null, e), e);
                } else {
                    onText(complete.toString(StandardCharsets.UTF_8));
                }
            }
        }

        private void onText(String text) {
            String t = text.strip();
            if (t.startsWith("START-SEND-") || t.startsWith("STOP-SEND-")) {
                protocolCommand(t);
                return;
            }
            DittoEnvelope command;
            try {
                command = DittoEnvelope.parse(t);
            } catch (TwinException e) {
                refuse(DittoEnvelope.error(null, correlationIdOf(t), e), e);
                return;
            }
            if (pending.size() >= maxPending) {
                TwinException busy = new TwinException(429, "gateway:too.many.requests",
                        "Too many commands are waiting on this WebSocket (" + maxPending + ").",
                        "Wait for responses before sending more commands.");
                refuse(DittoEnvelope.error(command.topic(), command.correlationId(), busy), busy);
                return;
            }
            pending.add(command);
            executeNext();
        }

        private void executeNext() {
            if (executing || pending.isEmpty() || isClosed()) {
                return;
            }
            executing = true;
            DittoEnvelope command = pending.poll();
            context().executeBlocking(() -> commands.execute(command, user), false).onComplete(ar -> {
                executing = false;
                metrics.wsCommands.increment();
                DittoEnvelope response = ar.succeeded() ? ar.result()
                        : DittoEnvelope.error(command.topic(), command.correlationId(), LiveResponses.asTwinException(ar.cause()));
                if (response != null) {
                    if (response.status() >= 400) {
                        JsonValue error = response.value() instanceof JsonObject o ? o.getOrNull("error") : null;
                        metrics.refused(response.status(), error instanceof JsonString s ? s.value() : "unknown");
                    }
                    send(response.toText());
                }
                executeNext();
            });
        }

        private void protocolCommand(String text) {
            int q = text.indexOf('?');
            String name = q < 0 ? text : text.substring(0, q);
            Map<String, String> parameters;
            try {
                parameters = parameters(q < 0 ? "" : text.substring(q + 1));
            } catch (IllegalArgumentException e) {
                TwinException bad = new TwinException(400, "things:query.invalid", "The parameters of " + name + " are malformed: " + e.getMessage(),
                        "Percent-encode the parameter values.");
                refuse(DittoEnvelope.error(null, null, bad), bad);
                return;
            }
            String correlationId = parameters.get("correlation-id");
            try {
                switch (name) {
                    case START_EVENTS -> {
                        LiveFilter f = LiveFilter.of(parameters::get, filters.get());
                        String extra = parameters.get("extraFields");
                        FieldSelector selector = extra == null || extra.isBlank() ? null : FieldSelector.of(extra);
                        filter = f;
                        extraFields = selector;
                        if (!listening) {
                            listening = true;
                            log.listen(this);
                        }
                        send(START_EVENTS + ":ACK");
                    }
                    case STOP_EVENTS -> {
                        if (listening) {
                            listening = false;
                            log.remove(this);
                        }
                        send(STOP_EVENTS + ":ACK");
                    }
                    default -> throw unknownProtocolMessage(name);
                }
            } catch (TwinException e) {
                refuse(DittoEnvelope.error(null, correlationId, e), e);
            }
        }

        private void refuse(DittoEnvelope error, TwinException e) {
            metrics.refused(e.status(), e.errorCode());
            send(error.toText());
        }

        private void send(String text) {
            if (!isClosed() && !ws.isClosed()) {
                ws.writeTextMessage(text);
            }
        }

        @Override
        boolean accepts(LiveEvent event) {
            return listening && filter.matches(event);
        }

        @Override
        LiveFilter filter() {
            return filter;
        }

        @Override
        void write(List<LiveEvent> batch) {
            FieldSelector extra = extraFields;
            for (LiveEvent e : batch) {
                if (!listening) {
                    return;
                }
                String text = e.dittoText(extra);
                if (text != null) {
                    ws.writeTextMessage(text);
                    metrics.wsEvents.increment();
                }
            }
        }

        @Override
        boolean writeQueueFull() {
            return ws.writeQueueFull();
        }

        @Override
        void whenWritable(Runnable then) {
            ws.drainHandler(v -> then.run());
        }

        @Override
        void overflow() {
            metrics.wsSlowClosed.increment();
            close();
            ws.close((short) 1013, "Events came faster than this client read them");
        }

        @Override
        void close() {
            if (!isClosed()) {
                super.close();
                listening = false;
                log.remove(this);
                pending.clear();
                if (open.remove(this)) {
                    metrics.wsOpen.decrementAndGet();
                }
            }
        }
    }

    /** The correlation id of an envelope that could not be read, if its JSON has one. */
    private static String correlationIdOf(String text) {
        try {
            if (Json.parse(text) instanceof JsonObject o && o.getOrNull("headers") instanceof JsonObject h
                    && h.getOrNull(DittoEnvelope.CORRELATION_ID) instanceof JsonString s) {
                return s.value();
            }
        } catch (RuntimeException notJson) {
            return null;
        }
        return null;
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> out = new HashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    /** Ditto's "unknown command" refusal for protocol messages this server does not serve. */
    private static DittoProtocolException unknownProtocolMessage(String name) {
        return new DittoProtocolException(400, "things.protocol.adapter:unknown.command", "The protocol message '" + name + "' is not supported.",
                "Supported: START-SEND-EVENTS, STOP-SEND-EVENTS and twin commands; live commands, live events and messages are not served.");
    }
}
