package io.rosetta.core.internal.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

    @Test
    void logsOncePerKeyAndInterval() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class), 30, TimeUnit.SECONDS, now::get);

        assertThat(log.warn("virtual/things:model.violation", "refused 1")).isTrue();
        assertThat(log.warn("virtual/things:model.violation", "refused 2")).isFalse();
        assertThat(log.warn("virtual/things:thing.invalid", "other reason")).as("keys are separate").isTrue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(29));
        assertThat(log.warn("virtual/things:model.violation", "refused 3")).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(log.warn("virtual/things:model.violation", "refused 4 (2 suppressed)")).isTrue();
        assertThat(log.warn("virtual/things:model.violation", "refused 5")).isFalse();
    }
}
