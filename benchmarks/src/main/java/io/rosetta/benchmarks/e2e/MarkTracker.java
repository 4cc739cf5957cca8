package io.rosetta.benchmarks.e2e;

import io.rosetta.benchmarks.simulator.Mark;
import io.rosetta.benchmarks.simulator.Message;
import io.rosetta.benchmarks.simulator.SimDevice;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recognizes the simulator's messages in the twins' events: each telemetry message names (its
 * {@link Mark}) the model property and the value it sets on its device's twin; an event of that twin
 * carrying that property with that value is the message arriving. Per twin the marks in flight are kept
 * in send order (the binding maps a connection's messages in order, and the registry's events follow);
 * marks older than a matched one were lost (shed, or refused). A mark repeating one of the device's recent
 * marks is not timed, so that an event always names one message; and a mark still unmatched when its device sends
 * the same mark again is counted as lost, so that the later message's event is never timed from the earlier send.
 */
public final class MarkTracker extends LatencyRecorder {

    private static final int MAX_PENDING = 10_000;
    /** A message is timed only when its mark differs from the device's last this many marks. */
    static final int UNIQUE_WITHIN = 16;
    /** Marks older than this are taken as lost when an event is matched (they can only be stale). */
    static final long STALE_NANOS = 60_000_000_000L;

    private record Pending(String feature, String property, double value, long nanos, String dialect) {
    }

    /** What is known of one twin: its marks in flight, and the keys of its last marks. */
    private static final class Twin {
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        final long[] recent = new long[UNIQUE_WITHIN];
        int next;
        int filled;

        /** Whether the key was among the recent ones; remembers it either way. */
        boolean seenRecently(long key) {
            for (int i = 0; i < filled; i++) {
                if (recent[i] == key) {
                    return true;
                }
            }
            recent[next] = key;
            next = (next + 1) % recent.length;
            filled = Math.min(filled + 1, recent.length);
            return false;
        }
    }

    /** Latencies per dialect (and kind), kept for the whole run: where the time goes. */
    private final ConcurrentHashMap<String, org.HdrHistogram.ConcurrentHistogram> byDialect = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> sentByDialect = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Twin> twins = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.LongAdder untimed = new java.util.concurrent.atomic.LongAdder();

    /** Registers a device's twin name before any event can arrive. */
    public void register(SimDevice d) {
        twins.computeIfAbsent(d.thingName(), k -> new Twin());
    }

    /**
     * A telemetry message handed to its connection. It is timed when it has a mark that its device did not
     * send among its last {@value #UNIQUE_WITHIN} marks: an event then names one message (a plug that is off
     * reports 0 W again and again; such repeats are not timed, or a lost one would be taken for the next).
     */
    public void sent(SimDevice d, Message m, long nanos) {
        Mark mark = m.mark();
        if (mark == null) {
            untimed.increment();
            return;
        }
        Twin t = twins.computeIfAbsent(d.thingName(), k -> new Twin());
        long key = (31L * mark.feature().hashCode() + mark.property().hashCode()) * 1_000_003L + Double.hashCode(mark.value());
        synchronized (t) {
            // the same mark still unmatched from an earlier message: that one was lost, or is at least one device
            // period late; its event could no longer be told from this message's, so it is counted as lost now
            // (left pending, this message's event would be taken for it, timed from the earlier send)
            for (Iterator<Pending> it = t.pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.value == mark.value() && p.property.equals(mark.property()) && p.feature.equals(mark.feature())) {
                    it.remove();
                    lost.increment();
                    break;
                }
            }
            if (t.seenRecently(key)) {
                untimed.increment();
                return;
            }
            if (t.pending.size() >= MAX_PENDING) {
                t.pending.poll();
                lost.increment();
            }
            t.pending.add(new Pending(mark.feature(), mark.property(), mark.value(), nanos, d.dialect() + "/" + d.kind()));
        }
        sent.increment();
        sentByDialect.computeIfAbsent(d.dialect() + "/" + d.kind(), k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** Telemetry messages not timed (no mark, or a mark repeated). */
    public long untimed() {
        return untimed.sum();
    }

    /** Per dialect and kind since the start: messages sent, recognized, p50 and p99 in ms. */
    public String breakdown() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(sentByDialect).forEach((k, sentCount) -> {
            org.HdrHistogram.ConcurrentHistogram h = byDialect.get(k);
            long n = h == null ? 0 : h.getTotalCount();
            b.append(String.format(java.util.Locale.ROOT, "  %-28s sent %9d  recognized %9d  p50 %8.2f ms  p99 %8.2f ms  max %8.1f ms%n", k,
                    sentCount.sum(), n, n == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
                    n == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0, n == 0 ? Double.NaN : h.getMaxValue() / 1000.0));
        });
        return b.toString();
    }

    /** An event of a twin: {@code features} is the event's changed part of the features. */
    public void event(String thingName, JsonObject features, long nanos) {
        Twin q = twins.get(thingName);
        if (q == null) {
            unmatched.increment();
            return;
        }
        for (String featureId : features.keys()) {
            if (!(features.getOrNull(featureId) instanceof JsonObject feature)
                    || !(feature.getOrNull("properties") instanceof JsonObject properties)) {
                continue;
            }
            for (String property : properties.keys()) {
                JsonValue v = properties.getOrNull(property);
                if (v instanceof JsonNumber n && match(q, featureId, property, n.doubleValue(), nanos)) {
                    return;
                }
            }
        }
    }

    private boolean match(Twin t, String feature, String property, double value, long nanos) {
        synchronized (t) {
            ArrayDeque<Pending> q = t.pending;
            while (!q.isEmpty() && nanos - q.peek().nanos > STALE_NANOS) {
                q.poll();
                lost.increment();
            }
            int older = 0;
            for (Iterator<Pending> it = q.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.value == value && p.property.equals(property) && p.feature.equals(feature)) {
                    for (int i = 0; i <= older; i++) {
                        q.poll();
                    }
                    lost.add(older);
                    record(p.nanos, nanos);
                    byDialect.computeIfAbsent(p.dialect, k -> new org.HdrHistogram.ConcurrentHistogram(60_000_000L, 2))
                            .recordValue(Math.max(0, Math.min(60_000_000L, (nanos - p.nanos) / 1000)));
                    return true;
                }
                older++;
            }
        }
        return false;
    }
}
