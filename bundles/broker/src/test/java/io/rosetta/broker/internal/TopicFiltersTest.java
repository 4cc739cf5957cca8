package io.rosetta.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MQTT 3.1.1 section 4.7 matching, and the covering of one filter by another that subscriptions are checked with. */
class TopicFiltersTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "tele/th16/#, tele/th16/SENSOR, true",
        "tele/th16/#, tele/th16, true",
        "tele/th16/#, tele/th17/SENSOR, false",
        "tele/th16/#, tele/th16x/SENSOR, false",
        "tele/+/SENSOR, tele/th16/SENSOR, true",
        "tele/+/SENSOR, tele/th16/STATE, false",
        "tele/+/SENSOR, tele/a/b/SENSOR, false",
        "tele/+, tele/, true",
        "tele/+, tele, false",
        "#, anything/at/all, true",
        "#, $SYS/broker/uptime, false",
        "+/x, $SYS/x, false",
        "$SYS/#, $SYS/broker, true",
        "spBv1.0/+/+/edge1/#, spBv1.0/plant/NBIRTH/edge1, true",
        "spBv1.0/+/+/edge1/#, spBv1.0/plant/DBIRTH/edge1/pump, true",
        "spBv1.0/+/+/edge1/#, spBv1.0/plant/NBIRTH/edge2, false",
        "a/b, a/b, true",
        "a/b, a/bc, false",
        "a/bc, a/b, false",
        "a/b, a/b/c, false",
    })
    void matchesTopics(String filter, String topic, boolean expected) {
        assertThat(TopicFilters.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "tele/th16/#, tele/th16/#, true",
        "tele/th16/#, tele/th16/SENSOR, true",
        "tele/th16/#, tele/th16/+, true",
        "tele/th16/#, tele/th16, true",
        "tele/th16/#, tele/#, false",
        "tele/th16/#, tele/+/SENSOR, false",
        "tele/th16/#, #, false",
        "tele/th16/#, +/th16/SENSOR, false",
        "tele/+/SENSOR, tele/+/SENSOR, true",
        "tele/+/SENSOR, tele/x/SENSOR, true",
        "tele/+/SENSOR, tele/x/#, false",
        "tele/x/SENSOR, tele/+/SENSOR, false",
        "#, a/+/b/#, true",
        "#, $SYS/#, false",
        "+/#, $SYS/x, false",
        "$SYS/#, $SYS/x, true",
        "a/b, a/b, true",
        "a/b, a/b/#, false",
        "a/b/#, a/b/c/d/#, true",
    })
    void coversFilters(String outer, String inner, boolean expected) {
        assertThat(TopicFilters.covers(outer, inner)).isEqualTo(expected);
    }

    @Test
    void wellFormedFiltersAndTopics() {
        assertThat(TopicFilters.isValidFilter("a/+/b/#")).isTrue();
        assertThat(TopicFilters.isValidFilter("#")).isTrue();
        assertThat(TopicFilters.isValidFilter("+")).isTrue();
        assertThat(TopicFilters.isValidFilter("a/#/b")).isFalse();
        assertThat(TopicFilters.isValidFilter("a#")).isFalse();
        assertThat(TopicFilters.isValidFilter("a/b+")).isFalse();
        assertThat(TopicFilters.isValidFilter("")).isFalse();
        assertThat(TopicFilters.isValidFilter(null)).isFalse();
        assertThat(TopicFilters.isValidTopic("a/b")).isTrue();
        assertThat(TopicFilters.isValidTopic("a/+")).isFalse();
        assertThat(TopicFilters.isValidTopic("a/#")).isFalse();
        assertThat(TopicFilters.isValidTopic("")).isFalse();
    }
}
