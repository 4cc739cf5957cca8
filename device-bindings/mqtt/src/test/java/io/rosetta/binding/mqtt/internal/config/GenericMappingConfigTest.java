package io.rosetta.binding.mqtt.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenericMappingConfigTest {

    @ParameterizedTest(name = "{0} on {1} = {2}")
    @CsvSource(delimiter = ' ', value = {
        "acme-{1} acme/dev-7/telemetry acme-dev-7",
        "acme:{1} acme/dev-7/telemetry acme:dev-7",
        "{0}-{2} acme/dev-7/telemetry acme-telemetry",
        "{1}{1} a/b/c bb",
        "x-{3} a/b/c x-",
        "plain a/b/c plain",
        "{1 a/b/c {1",
        "{x}-{} a/b/c {x}-{}",
        "{{1}} a/b/c {b}",
        "{1}- a//c -",
        "{99999999999} a/b/c ''",
    })
    void rendersTopicLevels(String template, String topic, String expected) {
        assertThat(GenericMappingConfig.render(template, topic)).isEqualTo(expected);
    }
}
