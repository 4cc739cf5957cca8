package io.rosetta.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RefusalCountersTest {

    @Test
    void countsByStatusAndCodeSorted() {
        RefusalCounters c = new RefusalCounters(8);
        c.increment(415, "mediatype.unsupported");
        c.increment(400, "json.invalid");
        c.increment(400, "json.invalid");

        assertThat(c.get(400, "json.invalid")).isEqualTo(2);
        assertThat(c.get(404, "never")).isZero();
        assertThat(c.snapshot()).containsExactly(Map.entry("400 json.invalid", 2L), Map.entry("415 mediatype.unsupported", 1L));
    }

    @Test
    void newCodesBeyondTheBoundAreCountedAsOtherOfTheirStatus() {
        RefusalCounters c = new RefusalCounters(2);
        c.increment(400, "a");
        c.increment(400, "b");
        c.increment(400, "c");
        c.increment(403, "d");
        c.increment(400, "a");

        assertThat(c.snapshot()).containsExactly(Map.entry("400 a", 2L), Map.entry("400 b", 1L), Map.entry("400 other", 1L),
                Map.entry("403 other", 1L));
        assertThat(c.get(400, "c")).isZero();
    }

    @Test
    void theBoundMustBePositive() {
        assertThatThrownBy(() -> new RefusalCounters(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
