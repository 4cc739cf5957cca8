package io.rosetta.northbound.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.api.ditto.DittoTopic;
import io.rosetta.core.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    private final Topics topics = Topics.of("site-1/rosetta");

    @Test
    void eventsCommandsAndResponsesLiveUnderThePrefix() {
        assertThat(topics.event(DittoTopic.of(ThingId.of("org.example:lamp-1"), DittoTopic.EVENTS, "modified")))
                .isEqualTo("site-1/rosetta/org.example/lamp-1/things/twin/events/modified");
        // the default (empty) namespace is written _ as in Ditto topics
        assertThat(topics.event(DittoTopic.of(ThingId.of(":lamp-2"), DittoTopic.EVENTS, "created")))
                .isEqualTo("site-1/rosetta/_/lamp-2/things/twin/events/created");
        assertThat(topics.commandFilter()).isEqualTo("site-1/rosetta/commands/+");
        assertThat(topics.responseFor("site-1/rosetta/commands/app-7")).isEqualTo("site-1/rosetta/responses/app-7");
    }

    @Test
    void theEventsOfANamespaceCalledCommandsNeverMatchTheCommandSubscription() {
        String event = topics.event(DittoTopic.of(ThingId.of("commands:x"), DittoTopic.EVENTS, "modified"));
        assertThat(event).isEqualTo("site-1/rosetta/commands/x/things/twin/events/modified");
        assertThatThrownBy(() -> topics.responseFor(event)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/rosetta", "rosetta/", "a//b", "a/+/b", "a/#", "$SYS/x"})
    void refusesPrefixesThatAreNotPlainTopicLevels(String prefix) {
        assertThatThrownBy(() -> Topics.of(prefix)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic.prefix");
    }
}
