package io.rosetta.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules that give each registry device its topics: its own list, its binding's templates, the defaults. */
class DeviceTopicRulesTest {

    private static DeviceTopicRules.Device device(String id, String binding, List<String> own) {
        return new DeviceTopicRules.Device(id, id + "-user", "acme", "th-" + id, binding, own);
    }

    @Test
    void theDefaultsGiveADeviceTheTopicsOfTheShippedDialectsUnderItsId() {
        TopicAcl acl = DeviceTopicRules.defaults().aclOf(device("th16", "mqtt", null), new ArrayList<>());

        assertThat(acl.filters()).containsExactly("devices/th16/#", "tele/th16/#", "stat/th16/#", "cmnd/th16/#", "homie/th16/#",
                "homeassistant/+/th16/#", "spBv1.0/+/+/th16/#");
        assertThat(acl.canPublish("tele/th16/SENSOR")).isTrue();
        assertThat(acl.canPublish("spBv1.0/plant/NBIRTH/th16")).isTrue();
        assertThat(acl.canSubscribe("cmnd/th16/#")).isTrue();
        assertThat(acl.canSubscribe("cmnd/th16/POWER")).isTrue();
        // another device's topics, the whole tree, wildcards that reach beyond its own
        assertThat(acl.canPublish("tele/th17/SENSOR")).isFalse();
        assertThat(acl.canSubscribe("#")).isFalse();
        assertThat(acl.canSubscribe("tele/+/SENSOR")).isFalse();
        assertThat(acl.canSubscribe("cmnd/#")).isFalse();
        assertThat(acl.canPublish("tele/th16/+")).as("no wildcards in a topic name").isFalse();
    }

    @Test
    void placeholdersPerBindingAndTheDevicesOwnListComeFirst() {
        DeviceTopicRules rules = DeviceTopicRules.from(Map.of(
                "deviceTopics", "devices/{deviceId}/#",
                "deviceTopics.shelly", "{deviceId}/#, shellies/{username}/#",
                "deviceTopics.gateway", "site/{thingNamespace}/{thingName}/+/state"));

        assertThat(rules.aclOf(device("a1", "mqtt", null), new ArrayList<>()).filters()).containsExactly("devices/a1/#");
        assertThat(rules.aclOf(device("a1", null, null), new ArrayList<>()).filters()).containsExactly("devices/a1/#");
        assertThat(rules.aclOf(device("plus1", "shelly", null), new ArrayList<>()).filters())
                .containsExactly("plus1/#", "shellies/plus1-user/#");
        assertThat(rules.aclOf(device("gw", "gateway", null), new ArrayList<>()).filters()).containsExactly("site/acme/th-gw/+/state");
        assertThat(rules.sourceOf(device("plus1", "shelly", null))).isEqualTo("deviceTopics.shelly");

        List<String> rejected = new ArrayList<>();
        TopicAcl own = rules.aclOf(device("bridge", "shelly", List.of("zigbee2mqtt/#", "bad/#/x", "z/{deviceId}/+/set")), rejected);
        assertThat(own.filters()).containsExactly("zigbee2mqtt/#", "z/bridge/+/set");
        assertThat(rejected).containsExactly("bad/#/x");
        assertThat(rules.sourceOf(device("bridge", "shelly", List.of()))).isEqualTo("mqttTopics");
        assertThat(rules.aclOf(device("mute", "shelly", List.of()), rejected).filters()).as("an empty own list: no topics").isEmpty();
    }

    @Test
    void aValueThatWouldChangeAFiltersShapeYieldsNothing() {
        DeviceTopicRules rules = DeviceTopicRules.from(Map.of("deviceTopics", "u/{username}/#, d/{deviceId}/#"));
        // usernames may hold characters that device ids may not
        TopicAcl acl = rules.aclOf(new DeviceTopicRules.Device("d1", "evil/#", "ns", "n", null, null), new ArrayList<>());
        assertThat(acl.filters()).containsExactly("d/d1/#");
        TopicAcl none = rules.aclOf(new DeviceTopicRules.Device("d1", "+", "ns", "n", null, null), new ArrayList<>());
        assertThat(none.filters()).containsExactly("d/d1/#");
        TopicAcl noUser = rules.aclOf(new DeviceTopicRules.Device("d1", null, "ns", "n", null, null), new ArrayList<>());
        assertThat(noUser.filters()).containsExactly("d/d1/#");
    }

    @Test
    void malformedTemplatesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> DeviceTopicRules.from(Map.of("deviceTopics", "a/{device}/#")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceTopics").hasMessageContaining("{device}");
        assertThatThrownBy(() -> DeviceTopicRules.from(Map.of("deviceTopics.x", "a/#/{deviceId}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceTopics.x").hasMessageContaining("topic filter");
        assertThatThrownBy(() -> DeviceTopicRules.from(Map.of("deviceTopics", "a/{deviceId")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without '}'");
        assertThatThrownBy(() -> DeviceTopicRules.from(Map.of("deviceTopics", "a/x{deviceId}+/b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceTopicRules.from(Map.of()).toString()).startsWith("deviceTopics = devices/{deviceId}/#");
    }
}
