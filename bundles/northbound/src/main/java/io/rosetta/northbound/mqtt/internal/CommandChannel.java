package io.rosetta.northbound.mqtt.internal;

import io.rosetta.api.ditto.DittoCommands;
import io.rosetta.api.ditto.DittoEnvelope;
import io.rosetta.api.security.ApiUser;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ditto-protocol twin commands received on {@code <prefix>/commands/<client>}, answered on
 * {@code <prefix>/responses/<client>} with the command's {@code correlation-id}. Paho's thread only
 * queues (bounded: a full queue answers 429); the executor runs the commands one at a time in the order
 * received: each is authenticated by its bearer token ({@link BearerTokens}: 401 without a valid one),
 * executed with the token's grants by the API's {@link DittoCommands} (403 outside them), and answered
 * with the response or an error envelope. Each refusal is counted. The message is acknowledged to the
 * broker once it was handled.
 */
final class CommandChannel {

    private static final Logger LOG = LoggerFactory.getLogger(CommandChannel.class);
    private static final int BATCH = 64;

    private record Inbound(String topic, byte[] payload, Runnable ack) {
    }

    private final Topics topics;
    private final BearerTokens tokens;
    private final DittoCommands commands;
    private final Outbox outbox;
    private final Executor executor;
    private final NorthboundMetrics metrics;
    private final int capacity;
    private final int maxBytes;
    // guarded by queue
    private final ArrayDeque<Inbound> queue = new ArrayDeque<>();
    private boolean draining;

    CommandChannel(Topics topics, BearerTokens tokens, DittoCommands commands, Outbox outbox, Executor executor, NorthboundMetrics metrics,
            int capacity, int maxBytes) {
        this.topics = topics;
        this.tokens = tokens;
        this.commands = commands;
        this.outbox = outbox;
        this.executor = executor;
        this.metrics = metrics;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Called on Paho's thread: never blocks. */
    void offer(String topic, byte[] payload, Runnable ack) {
        metrics.commandsReceived.increment();
        boolean start = false;
        boolean full;
        synchronized (queue) {
            full = queue.size() >= capacity;
            if (!full) {
                queue.addLast(new Inbound(topic, payload, ack));
                if (!draining) {
                    draining = true;
                    start = true;
                }
            }
        }
        if (full) {
            TwinException busy = new TwinException(429, "gateway:too.many.requests",
                    "Too many commands are waiting (" + capacity + ").", "Wait for responses before sending more commands.");
            answer(topic, DittoEnvelope.error(null, payload.length <= maxBytes ? correlationIdOf(text(payload)) : null, busy));
            ack.run();
        } else if (start) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the scheduler is saturated or stopping: the commands wait for the next offer
            synchronized (queue) {
                draining = false;
            }
            LOG.warn("The scheduler refused the MQTT northbound's commands; they run with the next command received");
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Inbound next;
            synchronized (queue) {
                next = queue.pollFirst();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                handle(next);
            } catch (RuntimeException e) {
                LOG.error("MQTT command on {} could not be answered", next.topic(), e);
            } finally {
                next.ack().run();
            }
        }
        // give other tasks of the shared scheduler a turn
        schedule();
    }

    private void handle(Inbound m) {
        DittoEnvelope response;
        DittoEnvelope command = null;
        try {
            if (m.payload().length > maxBytes) {
                throw new TwinException(413, "things:thing.toolarge", "The message is larger than the allowed " + maxBytes + " bytes.",
                        "Send smaller commands: change parts of the thing rather than the whole.");
            }
            String text = text(m.payload());
            try {
                command = DittoEnvelope.parse(text);
            } catch (TwinException e) {
                answer(m.topic(), DittoEnvelope.error(null, correlationIdOf(text), e));
                return;
            }
            ApiUser user = tokens.authenticate(command);
            response = commands.execute(command, user);
        } catch (TwinException e) {
            response = DittoEnvelope.error(command == null ? null : command.topic(), command == null ? null : command.correlationId(), e);
        } catch (RuntimeException e) {
            LOG.error("MQTT command on {} failed", m.topic(), e);
            response = DittoEnvelope.error(command == null ? null : command.topic(), command == null ? null : command.correlationId(),
                    new TwinException(500, "things:internal.error", "The command could not be executed because of an internal error.",
                            "The server's log has the details."));
        }
        if (response != null) {
            answer(m.topic(), response);
        }
    }

    /** Publishes a response (or error) envelope on the response topic of the command's topic, counting refusals. */
    private void answer(String commandTopic, DittoEnvelope response) {
        metrics.commandsAnswered.increment();
        if (response.status() >= 400) {
            JsonValue error = response.value() instanceof JsonObject o ? o.getOrNull("error") : null;
            metrics.refused(response.status(), error instanceof JsonString s ? s.value() : "unknown");
        }
        outbox.offerResponse(topics.responseFor(commandTopic), response.toText().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
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
}
