package io.rosetta.binding.coap.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.binding.coap.internal.TestModels;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReadingMapperTest {

    private final JsonMappings mappings = JsonMappings.load(getClass().getClassLoader(), null);
    private final JsonReadingMapper mapper = new JsonReadingMapper(TestModels.models());

    private Map<String, JsonObject> map(String mapping, String json) throws RejectedException {
        return mapper.map(mappings.named(mapping).orElseThrow(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(ThrowingCall call, RejectReason reason, String diagnostic) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(diagnostic);
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void flatJsonMapsOntoTheModelWithUnits() throws Exception {
        Map<String, JsonObject> m = map("temperature-humidity-sensor",
                "{\"temperature\":21.5,\"humidity\":40,\"battery\":87,\"rssi\":-67,\"firmware\":\"2.1.0\",\"uptime\":123}");
        assertThat(m).containsEntry("temperature", JsonObject.of("value", JsonNumber.of(21.5)))
                .containsEntry("humidity", JsonObject.of("value", JsonNumber.of(40)));
        assertThat(m.get("device")).isEqualTo(JsonObject.newBuilder().set("batteryLevel", JsonNumber.of(87))
                .set("signalStrength", JsonNumber.of(-67)).set("firmwareVersion", JsonString.of("2.1.0")).build());
        // the unit read from the payload
        assertThat(map("temperature-humidity-sensor", "{\"temperature\":70.7,\"unit\":\"F\"}").get("temperature"))
                .isEqualTo(JsonObject.of("value", JsonNumber.of(21.5)));
    }

    @Test
    void nestedVendorJsonInOtherUnits() throws Exception {
        Map<String, JsonObject> m = map("acme-climate", "{\"env\":{\"tempF\":70.7,\"rh\":40.0},\"batt\":{\"pct\":87}}");
        assertThat(m.get("temperature")).isEqualTo(JsonObject.of("value", JsonNumber.of(21.5)));
        assertThat(m.get("device")).isEqualTo(JsonObject.of("batteryLevel", JsonNumber.of(87)));
    }

    @Test
    void valueTablesAndConvertedEnergy() throws Exception {
        Map<String, JsonObject> m = map("smart-plug", "{\"relay\":\"ON\",\"power\":12.5,\"energy_wh\":1234,\"voltage\":230.1}");
        assertThat(m.get("switch")).isEqualTo(JsonObject.of("on", JsonBoolean.TRUE));
        assertThat(m.get("energy").getOrNull("energy")).isEqualTo(JsonNumber.of(1.234));
        assertThat(map("gps-tracker", "{\"lat\":48.1374,\"lon\":11.5755,\"speed\":2.5}").get("location").getOrNull("speed"))
                .isEqualTo(JsonNumber.of(9.0));
    }

    @Test
    void badInputRefusesTheWholeReadingWithADiagnostic() {
        refused(() -> map("temperature-humidity-sensor", "{\"temperature\":21.5,"), RejectReason.MALFORMED_PAYLOAD, "Invalid JSON");
        refused(() -> map("temperature-humidity-sensor", ""), RejectReason.MALFORMED_PAYLOAD, "Invalid JSON");
        refused(() -> map("temperature-humidity-sensor", "[21.5]"), RejectReason.MALFORMED_PAYLOAD, "a JSON reading is an object");
        refused(() -> map("temperature-humidity-sensor", "{\"temperature\":\"warm\",\"humidity\":40}"), RejectReason.WRONG_TYPE,
                "/temperature (temperature/value): \"warm\" is not a number");
        refused(() -> map("temperature-humidity-sensor", "{\"temperature\":21,\"humidity\":140}"), RejectReason.OUT_OF_RANGE,
                "140 is above the maximum 100 %");
        refused(() -> map("temperature-humidity-sensor", "{\"battery\":50.5}"), RejectReason.WRONG_TYPE, "not an integer");
        refused(() -> map("temperature-humidity-sensor", "{\"temperature\":21,\"unit\":\"R\"}"), RejectReason.UNIT, "unit \"R\"");
        refused(() -> map("smart-plug", "{\"relay\":\"MAYBE\"}"), RejectReason.OUT_OF_RANGE, "\"MAYBE\" is not one of");
        refused(() -> map("temperature-humidity-sensor", "{\"pressure\":1013}"), RejectReason.UNKNOWN_PROPERTY,
                "none of the members the mapping temperature-humidity-sensor reads");
    }
}
