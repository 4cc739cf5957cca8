package io.rosetta.binding.mqtt.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.TestModels;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GenericJsonDialectTest {

    static Map<String, Object> acme() {
        Map<String, Object> p = new HashMap<>();
        p.put("felix.fileinstall.filename", "file:/opt/rosetta/etc/io.rosetta.binding.mqtt.generic-acme.cfg");
        p.put("topic", "acme/+/telemetry");
        p.put("thingId", "acme:{1}");
        p.put("model", "rosetta:temperature-humidity-sensor:1.0.0");
        p.put("property.temperature.value", "/env/temp [degF]");
        p.put("property.humidity.value", "/env/rh");
        p.put("property.device.batteryLevel", "/bat/pct");
        return p;
    }

    private final GenericJsonDialect dialect = new GenericJsonDialect("mqtt", TestModels.mapper());

    private List<Decoded> decode(String topic, String payload) throws RejectedException {
        return dialect.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.empty());
    }

    @Test
    void mapsJsonPointersOntoTheModelConvertingUnits() throws Exception {
        dialect.setMappings(List.of(GenericMappingConfig.from(acme())));
        assertThat(dialect.subscriptions()).containsExactly("acme/+/telemetry");

        List<Decoded> d = decode("acme/unit-7/telemetry", "{\"env\":{\"temp\":70.7,\"rh\":40},\"bat\":{\"pct\":88},\"fw\":\"2.1\"}");

        Decoded.Report r = (Decoded.Report) d.get(0);
        assertThat(r.thingId()).isEqualTo(ThingId.of("acme", "unit-7"));
        assertThat(r.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(r.features()).containsOnly(
                Map.entry("temperature", JsonObject.of("value", JsonValue.of(21.5))),
                Map.entry("humidity", JsonObject.of("value", JsonValue.of(40))),
                Map.entry("device", JsonObject.of("batteryLevel", JsonValue.of(88))));
    }

    @Test
    void commandsAreJsonAtTheConfiguredTopic() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "relays");
        p.put("topic", "lab/relay/+/state");
        p.put("thingId", "relay-{2}");
        p.put("model", "rosetta:smart-plug:1.0.0");
        p.put("property.switch.on", "/on");
        p.put("property.energy.power", "/load/kw kW");
        p.put("command.topic", "lab/relay/{2}/set");
        p.put("command.switch.on", "/output/on");
        dialect.setMappings(List.of(GenericMappingConfig.from(p)));

        Decoded.Report r = (Decoded.Report) decode("lab/relay/r1/state", "{\"on\":true,\"load\":{\"kw\":1.5}}").get(0);
        assertThat(r.thingId()).isEqualTo(ThingId.of("mqtt", "relay-r1"));
        assertThat(r.features().get("energy")).isEqualTo(JsonObject.of("power", JsonValue.of(1500.0)));

        List<Outbound> out = dialect.encode(new Dialect.DeviceRef(r.thingId(), r.model(), r.configuration()), "switch",
                Json.parseObject("{\"on\":false}"));
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo("lab/relay/r1/set");
            assertThat(Json.parse(o.payload())).isEqualTo(Json.parse("{\"output\":{\"on\":false}}"));
        });
    }

    @Test
    void badInput() throws Exception {
        dialect.setMappings(List.of(GenericMappingConfig.from(acme())));
        assertReject("acme/u/telemetry", "not json", RejectReason.MALFORMED_PAYLOAD);
        assertReject("acme/u/telemetry", "{\"env\":{\"temp\":true}}", RejectReason.WRONG_TYPE);
        assertReject("acme/u/telemetry", "{\"env\":{\"temp\":500}}", RejectReason.OUT_OF_RANGE);
        assertReject("other/u", "{}", RejectReason.UNKNOWN_TOPIC);
    }

    @Test
    void configurationErrorsNameTheKey() {
        Map<String, Object> p = acme();
        p.remove("model");
        assertThatThrownBy(() -> GenericMappingConfig.from(p)).hasMessageContaining("model is required");
        Map<String, Object> q = acme();
        q.put("thingId", "acme:{5}");
        assertThatThrownBy(() -> GenericMappingConfig.from(q)).hasMessageContaining("topic level 5");
        Map<String, Object> r = acme();
        r.put("property.temperature", "/t");
        assertThatThrownBy(() -> GenericMappingConfig.from(r)).hasMessageContaining("property.<feature>.<property>");
        Map<String, Object> s = acme();
        s.put("property.humidity.value", "env.rh");
        assertThatThrownBy(() -> GenericMappingConfig.from(s)).hasMessageContaining("JSON pointer");
        assertThat(GenericMappingConfig.from(acme()).name()).isEqualTo("acme");
    }

    private void assertReject(String topic, String payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload)).isInstanceOf(RejectedException.class)
                .satisfies(e -> assertThat(((RejectedException) e).reason()).as(payload).isEqualTo(reason));
    }
}
