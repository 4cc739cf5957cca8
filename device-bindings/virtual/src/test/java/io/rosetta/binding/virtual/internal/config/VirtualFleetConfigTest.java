package io.rosetta.binding.virtual.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.model.ThingId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualFleetConfigTest {

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void readsAFleetWithMixedModels() {
        VirtualFleetConfig c = VirtualFleetConfig.from(props("namespace", "demo", "namePrefix", "device", "count", "20",
                "model", "rosetta:temperature-humidity-sensor:1.0.0, rosetta:smart-plug:1.0.0", "interval", "2s",
                "felix.fileinstall.filename", "file:/opt/rosetta/etc/io.rosetta.binding.virtual-demo.cfg"));

        assertThat(c.name()).isEqualTo("demo");
        assertThat(c.count()).isEqualTo(20);
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.models()).containsExactly("rosetta:temperature-humidity-sensor:1.0.0", "rosetta:smart-plug:1.0.0");
        assertThat(c.thingId(0)).isEqualTo(ThingId.of("demo:device-01"));
        assertThat(c.thingId(19)).isEqualTo(ThingId.of("demo:device-20"));
        assertThat(c.model(0)).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(c.model(1)).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(c.model(2)).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
    }

    @Test
    void hasDefaultsAndWidensNumbersForBigFleets() {
        VirtualFleetConfig c = VirtualFleetConfig.from(props("model", "rosetta:smart-plug:1.0.0", "count", 1000));
        assertThat(c.namespace()).isEqualTo("virtual");
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.thingId(0)).isEqualTo(ThingId.of("virtual:device-0001"));
        assertThat(c.thingId(999)).isEqualTo(ThingId.of("virtual:device-1000"));
        assertThat(c.models()).isEqualTo(List.of("rosetta:smart-plug:1.0.0"));
    }

    @Test
    void readsDurations() {
        assertThat(VirtualFleetConfig.duration(props("i", "500ms"), "i", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(VirtualFleetConfig.duration(props("i", "1500"), "i", null)).isEqualTo(Duration.ofMillis(1500));
        assertThat(VirtualFleetConfig.duration(props("i", 250L), "i", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(VirtualFleetConfig.duration(props("i", "1m"), "i", null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(VirtualFleetConfig.duration(props("i", " 2 S "), "i", null)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesWrongValuesNamingTheKey() {
        assertThatThrownBy(() -> VirtualFleetConfig.from(props())).hasMessageStartingWith("model is required");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", " , "))).hasMessageStartingWith("model is required");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", "m", "count", "many")))
                .hasMessage("count must be a whole number but was 'many'");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", "m", "count", "-1")))
                .hasMessageStartingWith("count must be between 0 and 100000");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", "m", "interval", "soon")))
                .hasMessageStartingWith("interval must be a duration");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", "m", "interval", "10ms")))
                .hasMessageStartingWith("interval must be at least 100 ms");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", "m", "namespace", "no spaces allowed")))
                .hasMessageContaining("do not make valid thing ids");
        assertThatThrownBy(() -> VirtualFleetConfig.from(props("model", "m", "namePrefix", "a/b")))
                .hasMessageContaining("do not make valid thing ids");
    }
}
