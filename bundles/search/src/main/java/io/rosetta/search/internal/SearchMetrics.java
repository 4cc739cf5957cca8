package io.rosetta.search.internal;

import io.rosetta.core.metrics.RefusalCounters;
import java.util.Map;
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
    private final RefusalCounters refusals = new RefusalCounters(MAX_KEYS);

    void searched(long tookNanos) {
        searches.increment();
        nanos.add(tookNanos);
    }

    void counted(long tookNanos) {
        counts.increment();
        nanos.add(tookNanos);
    }

    void refused(int status, String errorCode) {
        refusals.increment(status, errorCode);
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
        return refusals.get(status, errorCode);
    }

    public Map<String, Long> refusals() {
        return refusals.snapshot();
    }
}
