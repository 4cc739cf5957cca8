package io.rosetta.binding.mqtt.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.binding.mqtt.internal.TestModels;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;

/**
 * 21.5 °C and 40 % RH through every dialect: the same model, the same features and properties. Sparkplug B
 * sends them as a DDATA by alias (70.7 °F per the DBIRTH's engUnit), encoded by Eclipse Tahu.
 */
class SameMeasurementTest {

    private static Decoded.Report decode(Dialect d, String topic, String payload) throws Exception {
        return (Decoded.Report) d.decode(topic, payload.getBytes(StandardCharsets.UTF_8), id -> Optional.empty()).get(0);
    }

    @Test
    void everyDialectYieldsTheSameTwinShape() throws Exception {
        Zigbee2MqttDialect z2m = new Zigbee2MqttDialect("zigbee2mqtt", "mqtt", TestModels.catalog().mappings("zigbee2mqtt"), TestModels.mapper());
        TasmotaDialect tasmota = new TasmotaDialect("%prefix%/%topic%/", "mqtt", TestModels.catalog().mappings("tasmota"), TestModels.mapper());
        GenericJsonDialect generic = new GenericJsonDialect("mqtt", TestModels.mapper());
        HomieDialect homie = new HomieDialect("homie", "mqtt", TestModels.catalog().mappings("homie"), TestModels.mapper());
        String[] homieDevice = HomieDialectTest.climate("climate-f", "°F", "70.7");
        for (int i = 0; i < homieDevice.length - 2; i += 2) {
            homie.decode(homieDevice[i], homieDevice[i + 1].getBytes(StandardCharsets.UTF_8), id -> Optional.empty());
        }
        HomeAssistantDialect ha = new HomeAssistantDialect("homeassistant", "mqtt", TestModels.catalog().mappings("homeassistant"),
                TestModels.mapper(), () -> { });
        ha.decode("homeassistant/sensor/8C4E2D_AM2301_Temperature/config", HomeAssistantDialectTest.TASMOTA_TEMP.getBytes(StandardCharsets.UTF_8),
                id -> Optional.empty());
        ha.decode("homeassistant/sensor/8C4E2D_AM2301_Humidity/config", HomeAssistantDialectTest.TASMOTA_HUM.getBytes(StandardCharsets.UTF_8),
                id -> Optional.empty());
        ShellyGen2Dialect shelly = new ShellyGen2Dialect("mqtt", TestModels.catalog().mappings("shelly"), TestModels.mapper());
        generic.setMappings(List.of(GenericMappingConfig.from(GenericJsonDialectTest.acme())));
        SparkplugDialect sparkplug = new SparkplugDialect(List.of("*"), "mqtt", TestModels.catalog().mappings("sparkplug"), TestModels.mapper(),
                Duration.ofSeconds(10), System::currentTimeMillis, o -> { }, e -> { });
        SparkplugEdgeNode node = new SparkplugEdgeNode("plant", "edge-1", 0);
        sparkplug.decode(node.topic("NBIRTH"), node.nbirth(), id -> Optional.empty());
        sparkplug.decode(node.topic("DBIRTH", "th-f"), node.message(true,
                SparkplugEdgeNode.metric("Temperature", 1L, MetricDataType.Float, 68.0f, "°F"),
                SparkplugEdgeNode.metric("Humidity", 2L, MetricDataType.Float, 45.0f, "%")), id -> Optional.empty());
        byte[] ddata = node.message(false, SparkplugEdgeNode.aliased(1, MetricDataType.Float, 70.7f),
                SparkplugEdgeNode.aliased(2, MetricDataType.Float, 40.0f));

        List<Decoded.Report> reports = List.of(
                decode(z2m, "zigbee2mqtt/a", "{\"humidity\":40,\"linkquality\":134,\"temperature\":21.5}"),
                decode(tasmota, "tele/b/SENSOR", "{\"Time\":\"2024-01-01T00:00:00\",\"AM2301\":{\"Temperature\":21.5,\"Humidity\":40.0},\"TempUnit\":\"C\"}"),
                decode(tasmota, "tele/c/SENSOR", "{\"Time\":\"2024-01-01T00:00:00\",\"SHT3X-0x44\":{\"Temperature\":70.7,\"Humidity\":40.0,\"DewPoint\":45.9},\"TempUnit\":\"F\"}"),
                decode(generic, "acme/d/telemetry", "{\"env\":{\"temp\":70.7,\"rh\":40.0}}"),
                decode(shelly, "shellyplusht-e/events/rpc", "{\"src\":\"shellyplusht-e\",\"dst\":\"shellyplusht-e/events\",\"method\":\"NotifyStatus\","
                        + "\"params\":{\"ts\":1680962879.62,\"temperature:0\":{\"id\":0,\"tC\":21.5,\"tF\":70.7},\"humidity:0\":{\"id\":0,\"rh\":40.0}}}"),
                decode(homie, homieDevice[homieDevice.length - 2], homieDevice[homieDevice.length - 1]),
                decode(ha, "tele/tasmota_8C4E2D/SENSOR", "{\"Time\":\"2021-01-01T00:00:00\",\"AM2301\":{\"Temperature\":70.7,\"Humidity\":40.0},\"TempUnit\":\"F\"}"),
                (Decoded.Report) sparkplug.decode(node.topic("DDATA", "th-f"), ddata, id -> Optional.empty()).get(0));

        assertThat(reports).hasSize(8);
        for (Decoded.Report r : reports) {
            assertThat(r.model()).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
            assertThat(r.features()).containsOnlyKeys("temperature", "humidity");
            // numerically equal JSON: 40 and 40.0 are the same JSON number
            assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
            assertThat(r.features().get("humidity").getOrNull("value").toString()).isIn("40", "40.0");
        }
    }
}
