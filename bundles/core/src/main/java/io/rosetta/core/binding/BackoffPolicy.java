package io.rosetta.core.binding;

import java.time.Duration;
import java.util.Objects;

/**
 * Reconnect delays: exponential backoff with full jitter. Before attempt {@code n} after a failure
 * ({@code n = 0, 1, 2, ...}) the supervisor waits a uniformly random time between
 * {@link #MIN_DELAY} and {@code min(maxDelay, initialDelay * multiplier^n)}. An attempt that has
 * not completed after {@code connectTimeout} counts as failed.
 */
public record BackoffPolicy(Duration initialDelay, Duration maxDelay, double multiplier, Duration connectTimeout) {

    /** No wait is shorter than this, so that a failing connection never spins. */
    public static final Duration MIN_DELAY = Duration.ofMillis(10);

    private static final BackoffPolicy DEFAULTS =
            new BackoffPolicy(Duration.ofSeconds(1), Duration.ofMinutes(2), 2.0, Duration.ofSeconds(30));

    public BackoffPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (initialDelay.compareTo(MIN_DELAY) < 0) {
            throw new IllegalArgumentException("initialDelay must be at least " + MIN_DELAY.toMillis() + " ms but was " + initialDelay.toMillis() + " ms");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must not be shorter than initialDelay (" + initialDelay + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1 but was " + multiplier);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive but was " + connectTimeout);
        }
    }

    /** 1 s initial, 2 min maximum, multiplier 2, connect timeout 30 s. */
    public static BackoffPolicy defaults() {
        return DEFAULTS;
    }

    public static BackoffPolicy of(Duration initialDelay, Duration maxDelay, double multiplier) {
        return new BackoffPolicy(initialDelay, maxDelay, multiplier, DEFAULTS.connectTimeout);
    }

    public BackoffPolicy withConnectTimeout(Duration timeout) {
        return new BackoffPolicy(initialDelay, maxDelay, multiplier, timeout);
    }

    /** The upper bound of the wait before attempt {@code n} (0-based) after a failure, in milliseconds. */
    public long ceilingMillis(int n) {
        double ceiling = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, n));
        long max = maxDelay.toMillis();
        return ceiling >= max || Double.isNaN(ceiling) ? max : Math.max(MIN_DELAY.toMillis(), (long) ceiling);
    }

    /**
     * The wait before attempt {@code n}, with full jitter: {@code random} is a uniform draw in
     * {@code [0, 1)}.
     */
    public long delayMillis(int n, double random) {
        long ceiling = ceilingMillis(n);
        long delay = (long) (random * ceiling);
        return Math.max(MIN_DELAY.toMillis(), Math.min(ceiling, delay));
    }
}
