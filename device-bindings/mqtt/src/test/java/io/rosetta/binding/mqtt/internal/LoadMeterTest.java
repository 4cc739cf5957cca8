package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadMeterTest {

    private static final long MS = 1_000_000;

    private long now;
    private final LoadMeter meter = new LoadMeter(0.5, () -> now);

    private void work(long busyMs, long idleMs) {
        long start = now;
        now += busyMs * MS;
        meter.record(start, now);
        now += idleMs * MS;
    }

    @Test
    void decidesOnEachFullWindowByTheShareSpentProcessing() {
        assertThat(meter.busy()).isFalse();
        for (int i = 0; i < 10; i++) {
            work(6, 4); // 60 % of each 10 ms
        }
        // the window closes with the record that ends at or after 100 ms: the 10th ends at 96 ms
        assertThat(meter.busy()).isFalse();
        work(6, 4);
        assertThat(meter.busy()).isTrue();

        for (int i = 0; i < 11; i++) {
            work(3, 7); // 30 %
        }
        assertThat(meter.busy()).isFalse();
    }

    @Test
    void aLongPauseEndsABusySpellWithTheNextRecord() {
        for (int i = 0; i < 20; i++) {
            work(10, 0);
        }
        assertThat(meter.busy()).isTrue();
        now += 5_000 * MS;
        work(1, 0);
        assertThat(meter.busy()).isFalse();
    }

    @Test
    void aThresholdOfZeroIsAlwaysBusyAndOnlyShareThresholdsAreTaken() {
        LoadMeter always = new LoadMeter(0, () -> now);
        assertThat(always.busy()).isTrue();
        now += 1_000 * MS;
        always.record(now, now);
        assertThat(always.busy()).isTrue();
        assertThatThrownBy(() -> new LoadMeter(1.5, () -> now)).isInstanceOf(IllegalArgumentException.class);
    }
}
