package io.rosetta.api.internal.live;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    private final ConcurrentHashMap<String, LongAdder> refusals = new ConcurrentHashMap<>();

    void refused(int status, String errorCode) {
        String key = status + " " + errorCode;
        LongAdder c = refusals.get(key);
        if (c == null) {
            c = refusals.size() < MAX_KEYS ? refusals.computeIfAbsent(key, k -> new LongAdder())
                    : refusals.computeIfAbsent(status + " other", k -> new LongAdder());
        }
        c.increment();
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
        LongAdder c = refusals.get(status + " " + errorCode);
        return c == null ? 0 : c.sum();
    }

    /** All refusals so far, keyed {@code "<status> <error code>"}, sorted. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
