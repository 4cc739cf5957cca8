package io.rosetta.benchmarks.simulator;

/**
 * Paces the simulator: tokens accrue at {@code rate} per second up to a burst of {@code capacity};
 * each message takes one. Tokens that would overflow the bucket are counted as lagged: messages the
 * publisher could not send in time (CPU starved, or the connections' windows full). Time is passed
 * in, in nanoseconds, so the bucket is a value that tests can drive. Not thread-safe: one pacer owns it.
 */
public final class TokenBucket {

    private double rate;
    private double capacity;
    private double tokens;
    private long last;
    private double lagged;

    public TokenBucket(double ratePerSecond, long nowNanos) {
        setRate(ratePerSecond);
        this.last = nowNanos;
    }

    /** Changes the rate; the burst is 20 ms worth of messages (at least one). */
    public void setRate(double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive but was " + ratePerSecond);
        }
        this.rate = ratePerSecond;
        this.capacity = Math.max(1, ratePerSecond * 0.02);
        this.tokens = Math.min(tokens, capacity);
    }

    public double rate() {
        return rate;
    }

    /** Starts afresh at {@code nowNanos}: an empty bucket, nothing lagged. */
    public void restart(long nowNanos) {
        last = nowNanos;
        tokens = 0;
        lagged = 0;
    }

    /** Adds the tokens accrued since the last call; what overflows the burst is counted as lagged. */
    public void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed <= 0) {
            return;
        }
        last = nowNanos;
        tokens += elapsed * rate / 1e9;
        if (tokens > capacity) {
            lagged += tokens - capacity;
            tokens = capacity;
        }
    }

    /** Takes one token if there is one. */
    public boolean tryTake() {
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    public double tokens() {
        return tokens;
    }

    /** Messages that fell due while the bucket was full: the rate the publisher could not keep. */
    public long lagged() {
        return (long) lagged;
    }
}
