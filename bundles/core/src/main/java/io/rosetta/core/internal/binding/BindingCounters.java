package io.rosetta.core.internal.binding;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one binding; kept while the core runs, also across the binding's restarts. */
final class BindingCounters {

    private static final int MAX_REASONS = 64;

    final LongAdder reports = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder desiredForwarded = new LongAdder();
    final LongAdder desiredDropped = new LongAdder();
    final LongAdder handlerFailures = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refusedByReason = new ConcurrentHashMap<>();

    void refused(String reason) {
        refused.increment();
        String key = refusedByReason.size() >= MAX_REASONS && !refusedByReason.containsKey(reason) ? "other" : reason;
        refusedByReason.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    Map<String, Long> refusedByReason() {
        Map<String, Long> out = new TreeMap<>();
        refusedByReason.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
