package io.rosetta.binding.mqtt.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How busy the processing of one broker connection's messages is: the share of wall time spent processing
 * in consecutive windows of {@value #WINDOW_MILLIS} ms, and whether the last full window reached a threshold.
 * Only the thread that currently processes the connection's messages records (the {@link InboundPipeline}
 * passes that role between threads under its lock); {@link #busy()} may be read by any thread.
 */
final class LoadMeter {

    static final long WINDOW_MILLIS = 100;
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);

    private final double threshold;
    private final LongSupplier nanoTime;
    private long windowStart;
    private long busyNanos;
    private volatile boolean busy;

    /**
     * @param threshold the share of a window (0 to 1) spent processing from which the processing counts as busy;
     *                  0 counts it as busy always
     */
    LoadMeter(double threshold, LongSupplier nanoTime) {
        if (threshold < 0 || threshold > 1) {
            throw new IllegalArgumentException("threshold must lie between 0 and 1: " + threshold);
        }
        this.threshold = threshold;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
        this.busy = threshold == 0;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** One message processed from {@code start} to {@code end} (values of {@link #now()}). */
    void record(long start, long end) {
        busyNanos += end - start;
        long elapsed = end - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            busy = busyNanos >= threshold * elapsed;
            windowStart = end;
            busyNanos = 0;
        }
    }

    /** Whether the processing kept its thread busy for at least the threshold's share of the last full window. */
    boolean busy() {
        return busy;
    }
}
