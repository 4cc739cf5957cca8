package io.rosetta.binding.mqtt.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicsTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = ' ', value = {
        // MQTT 3.1.1, 4.7.1: '#' matches the parent level and any below it
        "sport/tennis/player1/# sport/tennis/player1 true",
        "sport/tennis/player1/# sport/tennis/player1/ranking true",
        "sport/tennis/player1/# sport/tennis/player1/score/wimbledon true",
        "sport/# sport true",
        "# sport/tennis true",
        "sport/tennis/# sport/tennis2 false",
        "zigbee2mqtt/# zigbee2mqtt/bridge/devices true",
        "zigbee2mqtt/# zigbee2mqtt2/x false",
        "a/# a/ true",
        // '+' matches one level, empty ones too
        "sport/tennis/+ sport/tennis/player1 true",
        "sport/tennis/+ sport/tennis/player1/ranking false",
        "sport/+ sport false",
        "sport/+ sport/ true",
        "+/+ / true",
        "/+ /finance true",
        "+ /finance false",
        "tele/+/SENSOR tele/plug-1/SENSOR true",
        "tele/+/SENSOR tele/plug-1/STATE false",
        "+/events/rpc shelly-1/events/rpc true",
        // plain levels
        "a/b a/b true",
        "a/b a/b/c false",
        "a/b/c a/b false",
        "a/b a/bc false",
        "ab/c a/bc false",
        // topics starting with '$' match no filter starting with a wildcard
        "# $SYS/broker false",
        "+/monitor/Clients $SYS/monitor/Clients false",
        "$SYS/# $SYS/broker true",
        "$SYS/monitor/+ $SYS/monitor/Clients true",
    })
    void matchesLikeTheSpecification(String filter, String topic, boolean expected) {
        assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
    }
}
