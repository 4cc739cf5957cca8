package io.rosetta.binding.mqtt;

import java.util.List;
import java.util.Map;

/**
 * Read-only counters of the MQTT binding since it started: messages received and mapped per
 * dialect, messages refused per dialect and reason, and the latest refused messages (a bounded
 * dead-letter record, oldest first).
 */
public interface MqttBindingStatistics {

    /** A counter key: the dialect that read the message ({@code none} when no dialect claimed its topic) and the reason. */
    record Rejection(String dialect, RejectReason reason) {
    }

    /** Messages received per dialect. */
    Map<String, Long> received();

    /** Messages whose content reached twins, per dialect. */
    Map<String, Long> accepted();

    /** Refused messages per dialect and reason. */
    Map<Rejection, Long> rejected();

    /** Refused messages of one dialect and reason (0 when none). */
    long rejected(String dialect, RejectReason reason);

    /** The latest refused messages, oldest first; at most {@link #deadLetterCapacity()}. */
    List<DeadLetter> deadLetters();

    int deadLetterCapacity();

    /** Names of the configured broker connections and whether each is connected now. */
    Map<String, Boolean> brokers();

    /**
     * Protocol and inbox events per dialect, keyed {@code <dialect>.<event>}: {@code sparkplug.births},
     * {@code sparkplug.deaths}, {@code sparkplug.staleDeaths} (an NDEATH whose bdSeq is not its NBIRTH's),
     * {@code sparkplug.sequenceGaps}, {@code sparkplug.rebirthRequests}; {@code <dialect>.inboxHeld} (messages of
     * devices waiting in the inbox) and {@code <dialect>.inboxSuppressed} (messages of rejected devices).
     */
    Map<String, Long> events();

    /** One event counter (0 when it never happened). */
    long event(String dialect, String event);
}
