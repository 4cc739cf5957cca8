package io.rosetta.api.ditto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.model.ThingId;
import org.junit.jupiter.api.Test;

class DittoTopicTest {

    @Test
    void theDefaultNamespaceIsWrittenAndReadAsUnderscore() {
        DittoTopic topic = DittoTopic.of(ThingId.of(":lamp-1"), DittoTopic.EVENTS, "modified");
        assertThat(topic).hasToString("_/lamp-1/things/twin/events/modified");
        assertThat(DittoTopic.parse(topic.toString()).thingId()).isEqualTo(ThingId.of(":lamp-1"));
    }

    @Test
    void aThingsTopicRoundTrips() {
        DittoTopic topic = DittoTopic.of(ThingId.of("org.example:lamp-1"), DittoTopic.COMMANDS, "modify");
        assertThat(topic).hasToString("org.example/lamp-1/things/twin/commands/modify");
        assertThat(DittoTopic.parse(topic.toString())).isEqualTo(topic);
        assertThat(topic.withCriterion(DittoTopic.ERRORS, null)).hasToString("org.example/lamp-1/things/twin/errors");
    }

    @Test
    void refusesTopicsThatAreNotAboutThings() {
        assertThatThrownBy(() -> DittoTopic.parse("org.example/lamp-1/policies/commands/modify"))
                .isInstanceOfSatisfying(DittoProtocolException.class, e -> assertThat(e.errorCode()).isEqualTo("things.protocol.adapter:unknown.topicpath"));
        assertThatThrownBy(() -> DittoTopic.parse("a//things/twin/commands")).isInstanceOf(DittoProtocolException.class);
    }
}
