package io.rosetta.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refusals counted by status and error code, keyed {@code "<status> <error code>"} (e.g.
 * {@code "400 rql.expression.invalid"}). The keys are bounded: once {@code maxKeys} distinct ones exist, further new
 * codes are counted under {@code "<status> other"}, so that clients inventing error conditions cannot grow the map.
 * Thread-safe; counting an existing key does not lock.
 */
public final class RefusalCounters {

    private final int maxKeys;
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    public RefusalCounters(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    public void increment(int status, String errorCode) {
        String key = status + " " + errorCode;
        LongAdder c = counters.get(key);
        if (c == null) {
            c = counters.size() < maxKeys ? counters.computeIfAbsent(key, k -> new LongAdder())
                    : counters.computeIfAbsent(status + " other", k -> new LongAdder());
        }
        c.increment();
    }

    /** How often this status and code were counted (0 if never, or if they were counted under "other"). */
    public long get(int status, String errorCode) {
        LongAdder c = counters.get(status + " " + errorCode);
        return c == null ? 0 : c.sum();
    }

    /** All counts so far, sorted by key. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
