package io.rosetta.benchmarks.e2e;

import io.rosetta.benchmarks.simulator.Message;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recognizes the simulator's messages at a plain MQTT subscriber: per topic, the hashes and send times
 * of the messages in flight, in order (a topic belongs to one device, which publishes over one
 * connection, so they arrive in that order). A message that arrives is matched with its entry; entries
 * before it on that topic were lost. A payload repeating one of the topic's recent payloads is not timed
 * (a Homie plug that is off publishes {@code 0.00} again and again), so that an arrival names one message.
 */
public final class TopicTracker extends LatencyRecorder {

    private static final int MAX_PENDING = 10_000;

    private static final class Topic {
        final ArrayDeque<long[]> pending = new ArrayDeque<>();
        final long[] recent = new long[MarkTracker.UNIQUE_WITHIN];
        int next;
        int filled;

        boolean seenRecently(long hash) {
            for (int i = 0; i < filled; i++) {
                if (recent[i] == hash) {
                    return true;
                }
            }
            recent[next] = hash;
            next = (next + 1) % recent.length;
            filled = Math.min(filled + 1, recent.length);
            return false;
        }
    }

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

    public void sent(Message m, long nanos) {
        Topic t = topics.computeIfAbsent(m.topic(), k -> new Topic());
        long hash = Arrays.hashCode(m.payload());
        synchronized (t) {
            if (t.seenRecently(hash)) {
                return;
            }
            if (t.pending.size() >= MAX_PENDING) {
                t.pending.poll();
                lost.increment();
            }
            t.pending.add(new long[] {hash, nanos});
        }
        sent.increment();
    }

    public void received(String topic, byte[] payload, long nanos) {
        Topic t = topics.get(topic);
        if (t == null) {
            unmatched.increment();
            return;
        }
        long hash = Arrays.hashCode(payload);
        synchronized (t) {
            int older = 0;
            for (long[] e : t.pending) {
                if (e[0] == hash) {
                    for (int i = 0; i <= older; i++) {
                        t.pending.poll();
                    }
                    lost.add(older);
                    record(e[1], nanos);
                    return;
                }
                older++;
            }
        }
        unmatched.increment();
    }
}
