package io.rosetta.core.internal.binding;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per key and interval, telling how many were suppressed in between.
 * Keys are few (binding × reason), so the map stays small.
 */
final class RateLimitedLog {

    private static final int MAX_KEYS = 4096;

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, long[]> state = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, long interval, TimeUnit unit, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoTime = nanoTime;
    }

    /** Logs {@code message} (without throwable) unless the key was logged within the interval. */
    boolean warn(String key, String message) {
        if (state.size() > MAX_KEYS) {
            state.clear();
        }
        long now = nanoTime.getAsLong();
        long[] s = state.computeIfAbsent(key, k -> new long[] {now - intervalNanos - 1, 0});
        long suppressed;
        synchronized (s) {
            if (now - s[0] <= intervalNanos) {
                s[1]++;
                return false;
            }
            suppressed = s[1];
            s[0] = now;
            s[1] = 0;
        }
        if (suppressed > 0) {
            log.warn("{} ({} more like this since the last message)", message, suppressed);
        } else {
            log.warn(message);
        }
        return true;
    }
}
