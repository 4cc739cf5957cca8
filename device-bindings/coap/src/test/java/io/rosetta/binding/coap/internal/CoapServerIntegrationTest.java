package io.rosetta.binding.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server with the real core (registry, model validation, device manager) and Californium clients as devices. */
class CoapServerIntegrationTest {

    static final String TH = "rosetta:temperature-humidity-sensor:1.0.0";
    static final int SENML_JSON = ReadingIngest.SENML_JSON;
    static final int SENML_CBOR = ReadingIngest.SENML_CBOR;
    /** Links of a device without resources of its own (these clients serve nothing to observe). */
    static final String LINKS = "</temp>;rt=\"temperature\",</hum>;rt=\"humidity\"";

    private final CoreWiring core = new CoreWiring();

    @AfterEach
    void close() {
        core.close();
    }

    private Thing twin(String name) {
        return core.twin(ThingId.of("coap", name)).orElseThrow();
    }

    private double temperature(String name) {
        return twin(name).feature("temperature").map(f -> ((JsonNumber) f.properties().getOrNull("value")).doubleValue())
                .orElse(Double.NaN);
    }

    @Test
    void registerThenPostSenmlJsonAndCbor() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            CoapResponse r = device.post("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CREATED);
            assertThat(CoapClients.location(r)).matches("rd/\\w+");
            await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(ThingId.of("coap", "th1"))
                    .map(t -> t.connectivity().status() == ConnectivityStatus.Status.ONLINE).orElse(false));
            assertThat(twin("th1").definition()).contains(TH);

            r = device.post("/dev/th1", "[{\"bn\":\"th1:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5},{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":40}]",
                    SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> temperature("th1") == 21.5);

            r = device.post("/dev/th1", cbor("th1:", "temp", "K", 296.15), SENML_CBOR);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> temperature("th1") == 23.0);
            assertThat(core.runtime.accepted()).isEqualTo(2);
            assertThat(core.runtime.registeredEndpoints()).containsExactly("th1");
        }
    }

    @Test
    void badInputIsRefusedCountedAndChangesNoTwin() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            assertThat(device.post("/rd?ep=good&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            assertThat(device.post("/dev/good", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":20}]", SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> temperature("good") == 20.0);
            long revision = twin("good").revision();

            CoapResponse r = device.post("/dev/good", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":", SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("malformed SenML JSON");

            r = device.post("/dev/good", new byte[] {(byte) 0x9f, (byte) 0xa1, 0x00}, SENML_CBOR);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);

            r = device.post("/dev/good", "temp=20", MediaTypeRegistry.TEXT_PLAIN);
            assertThat(r.getCode()).isEqualTo(ResponseCode.UNSUPPORTED_CONTENT_FORMAT);

            r = device.post("/dev/good", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21},{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":140}]", SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("humidity").contains("140 is above the maximum 100 %");

            r = device.post("/dev/nobody", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21}]", SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.NOT_FOUND);

            r = device.post("/rd?ep=bad&lt=60&et=rosetta:no-such-model:1.0.0", LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            r = device.post("/rd?ep=bad&lt=60&et=" + TH, "temp;obs", MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(r.getResponseText()).contains("link-format");
            r = device.post("/rd?ep=bad&lt=soon&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.BAD_REQUEST);
            assertThat(core.twin(ThingId.of("coap", "bad"))).isEmpty();

            assertThat(twin("good").revision()).isEqualTo(revision);
            assertThat(temperature("good")).isEqualTo(20.0);
            assertThat(core.runtime.rejected(RejectReason.MALFORMED_PAYLOAD)).isEqualTo(2);
            assertThat(core.runtime.rejected(RejectReason.UNSUPPORTED_CONTENT_FORMAT)).isEqualTo(1);
            assertThat(core.runtime.rejected(RejectReason.OUT_OF_RANGE)).isEqualTo(1);
            assertThat(core.runtime.rejected(RejectReason.UNKNOWN_ENDPOINT)).isEqualTo(1);
            assertThat(core.runtime.rejected(RejectReason.BAD_REGISTRATION)).isEqualTo(3);
            assertThat(core.runtime.deadLetters()).hasSize(8).last().satisfies(d -> assertThat(d.endpoint()).isEqualTo("bad"));

            // the server and the device are unaffected
            assertThat(device.post("/dev/good", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":22}]", SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> temperature("good") == 22.0);
        }
    }

    @Test
    void lifetimeExpiryUpdateAndRemoval() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            CoapResponse r = device.post("/rd?ep=short&lt=1&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CREATED);
            await().atMost(Duration.ofSeconds(5)).until(() -> twin("short").connectivity().status() == ConnectivityStatus.Status.ONLINE);
            await().atMost(Duration.ofSeconds(5)).until(() -> twin("short").connectivity().status() == ConnectivityStatus.Status.OFFLINE);
            assertThat(twin("short").connectivity().description()).contains("lifetime");
            assertThat(device.post("/dev/short", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21}]", SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.NOT_FOUND);

            r = device.post("/rd?ep=long&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            String location = "/" + CoapClients.location(r);
            assertThat(device.post(location + "?lt=120", "", MediaTypeRegistry.UNDEFINED).getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> twin("long").connectivity().status() == ConnectivityStatus.Status.ONLINE);
            assertThat(device.delete(location).getCode()).isEqualTo(ResponseCode.DELETED);
            await().atMost(Duration.ofSeconds(5)).until(() -> twin("long").connectivity().status() == ConnectivityStatus.Status.OFFLINE);
            assertThat(device.delete(location).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
            assertThat(device.post("/rd/nope", "", MediaTypeRegistry.UNDEFINED).getCode()).isEqualTo(ResponseCode.NOT_FOUND);
            assertThat(core.runtime.registeredEndpoints()).isEmpty();

            // registering again brings the same twin back
            assertThat(device.post("/rd?ep=long&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            await().atMost(Duration.ofSeconds(5)).until(() -> twin("long").connectivity().status() == ConnectivityStatus.Status.ONLINE);
        }
    }

    @Test
    void plainCoapIsRefusedWhenNotAllowed() throws Exception {
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false));
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 512)) {
            CoapResponse r = device.post("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(r.getResponseText()).contains("DTLS");
            assertThat(core.twin(ThingId.of("coap", "th1"))).isEmpty();
            assertThat(core.runtime.rejected(RejectReason.FORBIDDEN)).isEqualTo(1);
        }
    }

    @Test
    void aWrongConfigurationLeavesTheServerDownWithoutFailing() {
        CoapServerComponent server = core.server(Map.of("blockSize", 100));
        assertThat(server.plainAddress()).isNull();
        assertThat(server.secureAddress()).isNull();
    }

    @Test
    void aTakenPortLeavesTheOtherEndpointRunning() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
            CoapServerComponent server = core.server(Map.of("port", taken.getLocalPort(), "psk.th1", "k"));
            assertThat(server.plainAddress()).isNull();
            assertThat(server.secureAddress()).isNotNull();
        }
    }

    static byte[] cbor(String bn, String n, String u, double v) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartArray();
            g.writeStartObject();
            g.writeFieldId(-2);
            g.writeString(bn);
            g.writeFieldId(0);
            g.writeString(n);
            g.writeFieldId(1);
            g.writeString(u);
            g.writeFieldId(2);
            g.writeNumber(v);
            g.writeEndObject();
            g.writeEndArray();
        }
        return out.toByteArray();
    }
}
