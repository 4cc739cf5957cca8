package io.rosetta.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    @Test
    void readsTimesExactlyAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(-62_000_000_000_000L, 253_000_000_000_000L);
            String text = Instant.ofEpochMilli(i % 10 == 0 ? millis / 1000 * 1000 : millis).toString();
            assertThat(RecordCodec.epochMillis(text)).as(text).isEqualTo(Instant.parse(text).toEpochMilli());
        }
        for (String text : new String[] {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z", "2026-11-26T07:55:39.1Z",
                "2026-11-26T07:55:39.120000Z", "2026-11-26T07:55:39.123456789Z", "+12026-01-01T00:00:00Z"}) {
            assertThat(RecordCodec.epochMillis(text)).as(text).isEqualTo(Instant.parse(text).toEpochMilli());
        }
    }

    @Test
    void refusesWhatInstantParseRefusesAndAcceptsWhatItAccepts() {
        int refused = 0;
        for (String text : new String[] {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-26T24:00:00Z",
                "2026-11-26T07:60:00Z", "2026-11-26T07:55:39.12aZ", "2026-11-26 07:55:39Z", "2026-1x-26T07:55:39Z",
                "2026-11-26T07:55:60Z", "2026-11-26T07:55:39+01:00"}) {
            Long expected;
            try {
                expected = Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                expected = null;
                refused++;
            }
            if (expected == null) {
                assertThatThrownBy(() -> RecordCodec.epochMillis(text)).as(text).isInstanceOf(DateTimeParseException.class);
            } else {
                assertThat(RecordCodec.epochMillis(text)).as(text).isEqualTo(expected);
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(5);
    }
}
