package io.rosetta.benchmarks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = 1_000_000L;

    private static int drain(TokenBucket b) {
        int n = 0;
        while (b.tryTake()) {
            n++;
        }
        return n;
    }

    @Test
    void tokensAccrueAtTheRate() {
        TokenBucket b = new TokenBucket(1000, 0);
        int taken = 0;
        for (long t = 1; t <= 1000; t++) {
            b.refill(t * MS);
            taken += drain(b);
        }
        assertThat(taken).isBetween(999, 1000);
        assertThat(b.lagged()).isZero();
    }

    @Test
    void aLateTickSendsABurstUpToTheCapacityAndCountsTheRestAsLagged() {
        TokenBucket b = new TokenBucket(10_000, 0);
        b.refill(100 * MS); // 1000 messages fell due; the burst is 20 ms = 200
        assertThat(drain(b)).isEqualTo(200);
        assertThat(b.lagged()).isEqualTo(800);
    }

    @Test
    void slowRatesStillSendWholeMessages() {
        TokenBucket b = new TokenBucket(2, 0);
        b.refill(400 * MS);
        assertThat(b.tryTake()).isFalse();
        b.refill(600 * MS);
        assertThat(b.tryTake()).isTrue();
        assertThat(b.tryTake()).isFalse();
    }

    @Test
    void theRateChangesWhileRunning() {
        TokenBucket b = new TokenBucket(1000, 0);
        b.refill(10 * MS);
        assertThat(drain(b)).isEqualTo(10);
        b.setRate(5000);
        b.refill(20 * MS);
        assertThat(drain(b)).isEqualTo(50);
        assertThatThrownBy(() -> b.setRate(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restartForgetsThePast() {
        TokenBucket b = new TokenBucket(1000, 0);
        b.refill(5_000 * MS);
        assertThat(b.lagged()).isPositive();
        b.restart(6_000 * MS);
        assertThat(b.lagged()).isZero();
        assertThat(b.tryTake()).isFalse();
    }
}
