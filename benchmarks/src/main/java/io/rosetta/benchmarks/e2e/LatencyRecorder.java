package io.rosetta.benchmarks.e2e;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and counts of one receiver, read per measurement window: {@link #interval()} returns what
 * was recorded since the previous call. Latencies in microseconds, up to a minute, 3 significant digits.
 */
public class LatencyRecorder {

    private final Recorder recorder = new Recorder(60_000_000L, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder matched = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    private long sentMark;
    private long matchedMark;
    private long lostMark;

    protected void record(long sentNanos, long receivedNanos) {
        recorder.recordValue(Math.max(0, Math.min(60_000_000L, (receivedNanos - sentNanos) / 1000)));
        matched.increment();
    }

    /** What was measured since the last call. */
    public synchronized Interval interval() {
        Histogram h = recorder.getIntervalHistogram();
        long s = sent.sum();
        long m = matched.sum();
        long l = lost.sum();
        Interval i = new Interval(s - sentMark, m - matchedMark, l - lostMark, h);
        sentMark = s;
        matchedMark = m;
        lostMark = l;
        return i;
    }

    public long matched() {
        return matched.sum();
    }

    public long sent() {
        return sent.sum();
    }

    public long lostTotal() {
        return lost.sum();
    }

    public long unmatched() {
        return unmatched.sum();
    }

    /** One window: messages sent (that the receiver can recognize), recognized on arrival, known lost, and their latencies. */
    public record Interval(long sent, long matched, long lost, Histogram latency) {

        public double percentileMillis(double p) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
        }

        public double maxMillis() {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
        }

        /** Share of the sent messages that arrived. */
        public double delivered() {
            return sent == 0 ? Double.NaN : Math.min(1.0, (double) matched / sent);
        }
    }
}
