package io.rosetta.binding.mqtt.internal;

import io.rosetta.core.binding.Connector;
import java.nio.charset.StandardCharsets;

/**
 * The MQTT client side of a broker connection, as a {@link Connector} for the core's supervisor: each
 * {@link #connect()} opens a fresh client session with the configured client id, subscribes to what the dialects need
 * and completes once the subscriptions are acknowledged; received messages go to a {@link Sink} with an
 * acknowledgement to run once they were handled (QoS 1 messages are acknowledged to the broker only then); a lost
 * connection is reported to the connection's {@code onLost}, never reconnected by the client itself.
 *
 * <p>Two clients implement it ({@code client} of the broker configuration): {@link VertxMqttSession}, the Vert.x MQTT
 * client on Netty's MQTT codec (TCP and TLS), and {@link PahoSession}, Eclipse Paho (also MQTT over WebSocket).
 */
interface MqttSession extends Connector {

    /** Where messages go: topic, payload, QoS, and the acknowledgement to run once the message was handled. */
    @FunctionalInterface
    interface Sink {
        void offer(String topic, byte[] payload, int qos, Runnable ack);
    }

    /** A message that could not be handed to the client now: not connected, or the in-flight window is full. */
    final class NotSentException extends Exception {
        private static final long serialVersionUID = 1L;

        NotSentException(String message) {
            super(message);
        }
    }

    /** Whether the broker kept our session (subscriptions, queued QoS 1 messages) at the last connect. */
    boolean sessionResumed();

    /** Publishes without blocking; throws when not connected or when the in-flight window is full. */
    void publish(String topic, byte[] payload, boolean retained, int qos) throws NotSentException;

    /** Subscribes to new filters and unsubscribes from dropped ones while connected (the dialects' topics changed). */
    void updateSubscriptions();

    /** {@code spBv1.0/STATE/<host id>}: where a Sparkplug primary host application announces itself. */
    static String sparkplugStateTopic(String hostId) {
        return "spBv1.0/STATE/" + hostId;
    }

    /** The Sparkplug 3.0 STATE payload: {@code {"online":true|false,"timestamp":<the connection's birth time>}}. */
    static byte[] sparkplugState(boolean online, long timestamp) {
        return ("{\"online\":" + online + ",\"timestamp\":" + timestamp + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Releases what the session holds beyond a connection (its threads); after {@link #disconnect()}, once. */
    default void close() {
    }
}
