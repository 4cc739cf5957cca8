package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Generic mappings come and go with their configurations while the binding runs. */
class GenericMappingTest {

    private final MqttRuntime runtime = new MqttRuntime(TestModels.catalog(), 10, Clock.systemUTC());

    private static Map<String, Object> config(String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put("felix.fileinstall.filename", "file:/opt/rosetta/etc/io.rosetta.binding.mqtt.generic-lab-sensors.cfg");
        p.put("topic", topic);
        p.put("thingId", "lab:{1}");
        p.put("model", "rosetta:temperature-humidity-sensor:1.0.0");
        p.put("property.temperature.value", "/t");
        return p;
    }

    @Test
    void addedChangedAndRemovedAtRuntime() {
        GenericMapping mapping = new GenericMapping(runtime, config("lab/+/t"));
        assertThat(runtime.genericMappings()).extracting(GenericMappingConfig::name).containsExactly("lab-sensors");

        mapping.modified(config("lab2/+/t"));
        assertThat(runtime.genericMappings()).extracting(GenericMappingConfig::topic).containsExactly("lab2/+/t");

        mapping.deactivate();
        assertThat(runtime.genericMappings()).isEmpty();
    }

    @Test
    void anInvalidChangeRemovesTheMapping() {
        GenericMapping mapping = new GenericMapping(runtime, config("lab/+/t"));
        Map<String, Object> broken = config("lab/+/t");
        broken.remove("model");

        mapping.modified(broken);

        assertThat(runtime.genericMappings()).isEmpty();
    }
}
