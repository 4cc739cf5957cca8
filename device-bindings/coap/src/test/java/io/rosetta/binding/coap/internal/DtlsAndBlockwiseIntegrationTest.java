package io.rosetta.binding.coap.internal;

import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.LINKS;
import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.TH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DTLS 1.2 with pre-shared keys per device, and block-wise transfer up to the configured maximum. */
class DtlsAndBlockwiseIntegrationTest {

    private static final byte[] KEY = "th1-secret".getBytes(StandardCharsets.UTF_8);
    private final CoreWiring core = new CoreWiring();

    @AfterEach
    void close() {
        core.close();
    }

    /** The response, or {@code null} when the request failed (handshake refused, timeout). */
    private static CoapResponse tryPost(CoapClients c, String path, String payload, int format) {
        try {
            org.eclipse.californium.core.coap.Request r = org.eclipse.californium.core.coap.Request.newPost();
            r.setPayload(payload);
            r.getOptions().setContentFormat(format);
            return c.client(path).setTimeout(1500L).advanced(r);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void devicesWithTheirOwnPskRegisterAndReport() throws Exception {
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false, "psk.th1", "th1-secret",
                "psk.th2", "hex:00112233445566778899aabbccddeeff"));
        try (CoapClients th1 = CoapClients.dtls(server.secureAddress(), "th1", KEY)) {
            CoapResponse r = th1.post("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CREATED);
            r = th1.post("/dev/th1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":19.5}]", ReadingIngest.SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(ThingId.of("coap", "th1"))
                    .flatMap(t -> t.feature("temperature")).map(f -> f.properties().getOrNull("value"))
                    .filter(v -> v.equals(JsonNumber.of(19.5))).isPresent());
            assertThat(core.twin(ThingId.of("coap", "th1")).orElseThrow().connectivity().status())
                    .isEqualTo(ConnectivityStatus.Status.ONLINE);

            // th1's identity cannot speak for another endpoint
            r = th1.post("/rd?ep=th2&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(core.twin(ThingId.of("coap", "th2"))).isEmpty();
        }
        try (CoapClients th2 = CoapClients.dtls(server.secureAddress(), "th2", java.util.HexFormat.of()
                .parseHex("00112233445566778899aabbccddeeff"))) {
            assertThat(th2.post("/dev/th1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":30}]", ReadingIngest.SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.FORBIDDEN);
        }
        assertThat(core.runtime.rejected(RejectReason.FORBIDDEN)).isEqualTo(2);
    }

    @Test
    void aWrongKeyOrAnUnknownIdentityFailsTheHandshake() throws Exception {
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false, "psk.th1", "th1-secret"));
        try (CoapClients wrongKey = CoapClients.dtls(server.secureAddress(), "th1", "guess".getBytes(StandardCharsets.UTF_8));
             CoapClients unknown = CoapClients.dtls(server.secureAddress(), "mallory", KEY)) {
            assertThat(tryPost(wrongKey, "/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT)).isNull();
            assertThat(tryPost(unknown, "/rd?ep=mallory&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT)).isNull();
        }
        assertThat(core.twin(ThingId.of("coap", "th1"))).isEmpty();
        assertThat(core.twin(ThingId.of("coap", "mallory"))).isEmpty();
        assertThat(core.runtime.rejected()).isEmpty(); // refused in the handshake, before any resource
        // the server still serves the right key
        try (CoapClients th1 = CoapClients.dtls(server.secureAddress(), "th1", KEY)) {
            assertThat(th1.post("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
        }
    }

    @Test
    void blockwiseTransferUpToTheConfiguredMaximum() throws Exception {
        CoapServerComponent server = core.server(Map.of("maxBodySize", 2048, "blockSize", 64));
        try (CoapClients device = CoapClients.plain(server.plainAddress(), 64)) {
            assertThat(device.post("/rd?ep=big&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            CoapResponse r = device.post("/dev/big", series(20, 21.0), ReadingIngest.SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(ThingId.of("coap", "big"))
                    .flatMap(t -> t.feature("temperature")).map(f -> f.properties().getOrNull("value"))
                    .filter(v -> v.equals(JsonNumber.of(21.0))).isPresent());

            String tooBig = series(80, 25.0);
            assertThat(tooBig.length()).isGreaterThan(2048);
            r = device.post("/dev/big", tooBig, ReadingIngest.SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
            assertThat(core.twin(ThingId.of("coap", "big")).orElseThrow().feature("temperature").orElseThrow().properties()
                    .getOrNull("value")).isEqualTo(JsonNumber.of(21.0));
        }
    }

    /** A time series of {@code n} temperature records; the latest (t = 0) has {@code last}. */
    private static String series(int n, double last) {
        StringBuilder b = new StringBuilder("[{\"bn\":\"urn:dev:mac:0024befffe804ff1:\",\"bu\":\"Cel\"}");
        for (int i = n - 1; i >= 0; i--) {
            b.append(",{\"n\":\"temp\",\"t\":-").append(i).append(",\"v\":").append(i == 0 ? last : 20.0 + i / 10.0).append('}');
        }
        return b.append(']').toString();
    }
}
