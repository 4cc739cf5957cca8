package io.rosetta.binding.coap.internal;

import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.LINKS;
import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.TH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain JSON readings ({@code application/json}, 50) through the JSON mappings, with the real core and Californium clients. */
class JsonReadingIntegrationTest {

    private static final int JSON = MediaTypeRegistry.APPLICATION_JSON;
    private final CoreWiring core = new CoreWiring();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        core.close();
    }

    private Thing twin(String name) {
        return core.twin(ThingId.of("coap", name)).orElseThrow();
    }

    private Optional<JsonValue> value(String name, String feature, String property) {
        return core.twin(ThingId.of("coap", name)).flatMap(t -> t.feature(feature)).map(f -> f.properties().getOrNull(property));
    }

    @Test
    void jsonThroughTheModelsDefaultMappingAndThroughANamedOne() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(device.post("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            CoapResponse r = device.post("/dev/th1", "{\"temperature\":21.5,\"humidity\":40,\"battery\":87,\"uptime\":3600}", JSON);
            assertThat(r.getCode()).as(r.getResponseText()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> value("th1", "temperature", "value").equals(Optional.of(JsonNumber.of(21.5))));
            assertThat(value("th1", "device", "batteryLevel")).contains(JsonNumber.of(87));

            // a vendor's nested JSON in °F, chosen on registration
            r = device.post("/rd?ep=acme7&lt=60&et=" + TH + "&mapping=acme-climate", LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(device.post("/dev/acme7", "{\"env\":{\"tempF\":70.7,\"rh\":40.0}}", JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> value("acme7", "temperature", "value").equals(Optional.of(JsonNumber.of(21.5))));

            // a plug: "ON" is true, W.h become kW.h
            assertThat(device.post("/rd?ep=plug1&lt=60&et=rosetta:smart-plug:1.0.0", "", MediaTypeRegistry.UNDEFINED).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            assertThat(device.post("/dev/plug1", "{\"relay\":\"ON\",\"energy_wh\":1234}", JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> value("plug1", "switch", "on").equals(Optional.of(JsonBoolean.TRUE)));
            assertThat(value("plug1", "energy", "energy")).contains(JsonNumber.of(1.234));
            assertThat(core.runtime.accepted()).isEqualTo(3);
        }
    }

    @Test
    void badJsonIsRefusedWithADiagnosticCountedAndChangesNoTwin() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(device.post("/rd?ep=good&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            assertThat(device.post("/dev/good", "{\"temperature\":20,\"humidity\":50}", JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> value("good", "temperature", "value").equals(Optional.of(JsonNumber.of(20))));
            long revision = twin("good").revision();

            CoapResponse r = device.post("/dev/good", "{\"temperature\":21,", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).startsWith("Invalid JSON");
            r = device.post("/dev/good", "[{\"temperature\":21}]", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("a JSON reading is an object, not array");
            r = device.post("/dev/good", "{\"temperature\":\"21\",\"humidity\":55}", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("/temperature (temperature/value): \"21\" is not a number");
            r = device.post("/dev/good", "{\"temperature\":21,\"humidity\":140}", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("/humidity (humidity/value): 140 is above the maximum 100 %");
            r = device.post("/dev/good", "{\"temperature\":900,\"unit\":\"K\"}", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("626.85 is above the maximum 125 Cel");
            r = device.post("/dev/good", "{\"pressure\":1013}", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("none of the members");

            // registrations that name a mapping that does not exist or does not fit
            r = device.post("/rd?ep=x1&lt=60&et=" + TH + "&mapping=nope", LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("there is no JSON mapping 'nope'");
            r = device.post("/rd?ep=x2&lt=60&et=" + TH + "&mapping=smart-plug", LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("is for rosetta:smart-plug:1.0.0");
            // a model without a JSON mapping: the device must send SenML
            assertThat(device.post("/rd?ep=pir&lt=60&et=rosetta:motion-sensor:1.0.0", "", MediaTypeRegistry.UNDEFINED).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            r = device.post("/dev/pir", "{\"detected\":true}", JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);

            assertThat(twin("good").revision()).isEqualTo(revision);
            assertThat(value("good", "temperature", "value")).contains(JsonNumber.of(20));
            assertThat(core.twin(ThingId.of("coap", "x1"))).isEmpty();
            assertThat(core.runtime.rejected()).containsOnly(Map.entry(RejectReason.MALFORMED_PAYLOAD, 2L),
                    Map.entry(RejectReason.WRONG_TYPE, 1L), Map.entry(RejectReason.OUT_OF_RANGE, 2L),
                    Map.entry(RejectReason.UNKNOWN_PROPERTY, 1L), Map.entry(RejectReason.BAD_REGISTRATION, 2L),
                    Map.entry(RejectReason.UNSUPPORTED_CONTENT_FORMAT, 1L));
            assertThat(core.runtime.deadLetters()).filteredOn(d -> d.contentFormat() == JSON).hasSize(7);

            // the device goes on
            assertThat(device.post("/dev/good", "{\"temperature\":22}", JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> value("good", "temperature", "value").equals(Optional.of(JsonNumber.of(22))));
        }
    }

    @Test
    void mappingsOfTheConfiguredDirectory() throws Exception {
        Files.writeString(dir.resolve("pir-json.json"), """
                {"model":"rosetta:motion-sensor:1.0.0","properties":[
                  {"source":"/motion","feature":"motion","property":"detected","values":{"1":true,"0":false}}]}""");
        CoapServerComponent server = core.server(Map.of("jsonMappingDir", dir.toString()));
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(device.post("/rd?ep=pir2&lt=60&et=rosetta:motion-sensor:1.0.0", "", MediaTypeRegistry.UNDEFINED).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            assertThat(device.post("/dev/pir2", "{\"motion\":1}", JSON).getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> value("pir2", "motion", "detected").equals(Optional.of(JsonBoolean.TRUE)));
        }
    }
}
