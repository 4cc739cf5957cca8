package io.rosetta.api.internal.live;

import io.rosetta.core.metrics.RefusalCounters;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/**
 * Counters of the live APIs: connections open and opened, clients disconnected because they fell
 * behind, events sent, Ditto commands executed, resumes and gaps, and refusals by status and error code.
 */
@Component(service = LiveMetrics.class)
public final class LiveMetrics {

    private static final int MAX_KEYS = 256;

    final AtomicInteger sseOpen = new AtomicInteger();
    final LongAdder sseOpened = new LongAdder();
    final LongAdder sseSlowClosed = new LongAdder();
    final LongAdder sseEvents = new LongAdder();
    final LongAdder sseResumed = new LongAdder();
    final LongAdder sseGaps = new LongAdder();
    final AtomicInteger wsOpen = new AtomicInteger();
    final LongAdder wsOpened = new LongAdder();
    final LongAdder wsSlowClosed = new LongAdder();
    final LongAdder wsEvents = new LongAdder();
    final LongAdder wsCommands = new LongAdder();
    private final RefusalCounters refusals = new RefusalCounters(MAX_KEYS);

    void refused(int status, String errorCode) {
        refusals.increment(status, errorCode);
    }

    public int sseOpen() {
        return sseOpen.get();
    }

    public long sseOpened() {
        return sseOpened.sum();
    }

    /** SSE clients disconnected because their buffer was full (they read slower than events came). */
    public long sseSlowClosed() {
        return sseSlowClosed.sum();
    }

    public long sseEvents() {
        return sseEvents.sum();
    }

    public long sseResumed() {
        return sseResumed.sum();
    }

    /** Resumes whose Last-Event-ID was older than the events kept (or unknown). */
    public long sseGaps() {
        return sseGaps.sum();
    }

    public int wsOpen() {
        return wsOpen.get();
    }

    public long wsOpened() {
        return wsOpened.sum();
    }

    /** WebSocket clients disconnected because their event buffer was full. */
    public long wsSlowClosed() {
        return wsSlowClosed.sum();
    }

    public long wsEvents() {
        return wsEvents.sum();
    }

    public long wsCommands() {
        return wsCommands.sum();
    }

    public long refusals(int status, String errorCode) {
        return refusals.get(status, errorCode);
    }

    /** All refusals so far, keyed {@code "<status> <error code>"}, sorted. */
    public Map<String, Long> refusals() {
        return refusals.snapshot();
    }
}
