package io.rosetta.binding.coap.internal.senml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.binding.coap.internal.TestModels;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenmlMapperTest {

    private static final String TH = "rosetta:temperature-humidity-sensor:1.0.0";
    private final SenmlMapper mapper = new SenmlMapper(TestModels.models());
    private final SenmlDecoder decoder = new SenmlDecoder(100);

    private Map<String, JsonObject> map(String model, String senml) throws Exception {
        List<SenmlRecord> r = decoder.decodeJson(senml.getBytes(StandardCharsets.UTF_8), 1.7e9);
        return mapper.map(model, r);
    }

    @Test
    void wellKnownNamesAndFeaturePathsMapOntoTheModel() throws Exception {
        Map<String, JsonObject> m = map(TH, """
                [{"bn":"urn:dev:mac:0024befffe804ff1:","n":"temp","u":"Cel","v":21.5},
                 {"n":"humidity","u":"%RH","v":40},{"n":"device/batteryLevel","u":"%EL","v":87}]""");
        assertThat(m).containsEntry("temperature", JsonObject.of("value", JsonNumber.of(21.5)))
                .containsEntry("humidity", JsonObject.of("value", JsonNumber.of(40)))
                .containsEntry("device", JsonObject.of("batteryLevel", JsonNumber.of(87)));
    }

    @Test
    void unitsAreConvertedWithTheUnitsLibrary() throws Exception {
        assertThat(map(TH, "[{\"n\":\"temp\",\"u\":\"K\",\"v\":294.65}]").get("temperature"))
                .isEqualTo(JsonObject.of("value", JsonNumber.of(21.5)));
        assertThat(map(TH, "[{\"n\":\"temp\",\"u\":\"[degF]\",\"v\":70.7}]").get("temperature"))
                .isEqualTo(JsonObject.of("value", JsonNumber.of(21.5)));
    }

    @Test
    void theLatestRecordOfATimeSeriesWins() throws Exception {
        assertThat(map(TH, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":22,\"t\":-1},{\"n\":\"temp\",\"u\":\"Cel\",\"v\":23},"
                + "{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21,\"t\":-2}]").get("temperature"))
                .isEqualTo(JsonObject.of("value", JsonNumber.of(23)));
    }

    @Test
    void booleansOfASmartPlug() throws Exception {
        assertThat(map("rosetta:smart-plug:1.0.0", "[{\"bn\":\"plug1:\",\"n\":\"on\",\"vb\":true},{\"n\":\"power\",\"u\":\"W\",\"v\":12.5}]"))
                .containsEntry("switch", JsonObject.of("on", JsonBoolean.TRUE))
                .containsEntry("energy", JsonObject.of("power", JsonNumber.of(12.5)));
    }

    @Test
    void badValuesRefuseTheWholePackWithAReason() {
        assertThatThrownBy(() -> map(TH, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21},{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":140}]"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.OUT_OF_RANGE))
                .hasMessageContaining("140 is above the maximum 100 %");
        assertThatThrownBy(() -> map(TH, "[{\"n\":\"temp\",\"u\":\"m\",\"v\":21}]"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UNIT));
        assertThatThrownBy(() -> map(TH, "[{\"n\":\"temp\",\"vs\":\"warm\"}]"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE));
        assertThatThrownBy(() -> map(TH, "[{\"n\":\"pressure\",\"u\":\"Pa\",\"v\":1000}]"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.UNKNOWN_PROPERTY));
        assertThatThrownBy(() -> map(TH, "[{\"n\":\"device/batteryLevel\",\"v\":50.5}]"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE));
    }
}
