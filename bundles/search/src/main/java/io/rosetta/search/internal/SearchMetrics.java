package io.rosetta.search.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/**
 * Counters of the search API: answered searches and counts with their total time, and refusals by
 * status and Ditto error code ({@code "400 rql.expression.invalid"}, ...).
 */
@Component(service = SearchMetrics.class)
public final class SearchMetrics {

    private static final int MAX_KEYS = 64;

    private final LongAdder searches = new LongAdder();
    private final LongAdder counts = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refusals = new ConcurrentHashMap<>();

    void searched(long tookNanos) {
        searches.increment();
        nanos.add(tookNanos);
    }

    void counted(long tookNanos) {
        counts.increment();
        nanos.add(tookNanos);
    }

    void refused(int status, String errorCode) {
        String key = status + " " + errorCode;
        LongAdder c = refusals.get(key);
        if (c == null) {
            c = refusals.size() < MAX_KEYS ? refusals.computeIfAbsent(key, k -> new LongAdder())
                    : refusals.computeIfAbsent(status + " other", k -> new LongAdder());
        }
        c.increment();
    }

    public long searches() {
        return searches.sum();
    }

    public long counts() {
        return counts.sum();
    }

    /** Time spent answering searches and counts, in milliseconds. */
    public long millis() {
        return nanos.sum() / 1_000_000;
    }

    public long refusals(int status, String errorCode) {
        LongAdder c = refusals.get(status + " " + errorCode);
        return c == null ? 0 : c.sum();
    }

    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
