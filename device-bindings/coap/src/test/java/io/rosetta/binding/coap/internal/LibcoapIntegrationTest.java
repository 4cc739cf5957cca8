package io.rosetta.binding.coap.internal;

import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.TH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libcoap's {@code coap-client-openssl} as the device: registration, SenML readings, bad input, and
 * DTLS with pre-shared keys (the right key accepted, a wrong one refused in the handshake). Skipped with
 * a message when the Debian package {@code libcoap3-bin} is not installed.
 */
class LibcoapIntegrationTest {

    private final CoreWiring core = new CoreWiring();
    @TempDir
    Path dir;

    @BeforeAll
    static void libcoap() {
        if (!Libcoap.available(Libcoap.CLIENT)) {
            String message = Libcoap.CLIENT + " is not installed (Debian package libcoap3-bin): the libcoap peer tests are skipped";
            org.slf4j.LoggerFactory.getLogger(LibcoapIntegrationTest.class).warn(message);
            Assumptions.abort(message);
        }
    }

    @AfterEach
    void close() {
        core.close();
    }

    private boolean temperatureIs(String ep, double v) {
        return core.twin(ThingId.of("coap", ep)).flatMap(t -> t.feature("temperature")).map(f -> f.properties().getOrNull("value"))
                .filter(x -> x.equals(JsonNumber.of(v))).isPresent();
    }

    @Test
    void registerAndPostSenmlOverPlainCoap() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        String base = "coap://127.0.0.1:" + server.plainAddress().getPort();
        Libcoap.Run r = Libcoap.client(dir, "</temp>;rt=\"temperature\";obs", "-m", "post", "-t", "40",
                base + "/rd?ep=lc1&lt=60&et=" + TH);
        assertThat(r.exit()).as(r.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(ThingId.of("coap", "lc1"))
                .map(t -> t.connectivity().status() == ConnectivityStatus.Status.ONLINE).orElse(false));

        r = Libcoap.client(dir, "[{\"bn\":\"lc1:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":24.25},{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":55}]",
                "-m", "post", "-t", "110", base + "/dev/lc1");
        assertThat(r.exit()).as(r.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs("lc1", 24.25));

        // out of range: 4.00 with the diagnostic, the twin unchanged
        r = Libcoap.client(dir, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":400}]", "-m", "post", "-t", "110", base + "/dev/lc1");
        assertThat(r.output()).contains("4.00").contains("400 is above the maximum 125 Cel");
        r = Libcoap.client(dir, "temp=21", "-m", "post", "-t", "0", base + "/dev/lc1");
        assertThat(r.output()).contains("4.15");
        r = Libcoap.client(dir, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21}]", "-m", "put", "-t", "110", base + "/dev/unknown");
        assertThat(r.output()).contains("4.04");
        assertThat(temperatureIs("lc1", 24.25)).isTrue();
        assertThat(core.runtime.rejected(RejectReason.OUT_OF_RANGE)).isEqualTo(1);
        assertThat(core.runtime.rejected(RejectReason.UNSUPPORTED_CONTENT_FORMAT)).isEqualTo(1);
        assertThat(core.runtime.rejected(RejectReason.UNKNOWN_ENDPOINT)).isEqualTo(1);
    }

    @Test
    void dtlsWithTheRightPskAndAWrongOne() throws Exception {
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false, "psk.lc2", "lc2-secret"));
        String base = "coaps://127.0.0.1:" + server.secureAddress().getPort();
        Libcoap.Run r = Libcoap.client(dir, "</temp>;obs", "-m", "post", "-t", "40", "-u", "lc2", "-k", "lc2-secret",
                base + "/rd?ep=lc2&lt=60&et=" + TH);
        assertThat(r.exit()).as(r.output()).isZero();
        r = Libcoap.client(dir, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":18.5}]", "-m", "post", "-t", "110", "-u", "lc2", "-k",
                "lc2-secret", base + "/dev/lc2");
        assertThat(r.exit()).as(r.output()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs("lc2", 18.5));

        long received = core.runtime.received();
        r = Libcoap.client(dir, 2, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":30}]", "-m", "post", "-t", "110", "-u", "lc2", "-k",
                "wrong-secret", base + "/dev/lc2");
        // refused in the DTLS handshake: the request never reached a resource
        assertThat(core.runtime.received()).as(r.output()).isEqualTo(received);
        assertThat(temperatureIs("lc2", 18.5)).isTrue();
    }

    /**
     * libcoap's {@code coap-server-openssl} as the device: registered (by {@code coap-client-openssl}) with the
     * base of its resources; the binding observes {@code /example_data}, a value written there by another client
     * reaches the twin, and desired state goes there as a confirmable PUT that the device then holds.
     */
    @Test
    void observeAndCommandRoundTripWithLibcoapServer() throws Exception {
        Assumptions.assumeTrue(Libcoap.available(Libcoap.SERVER), Libcoap.SERVER + " is not installed (libcoap3-bin)");
        CoapServerComponent server = core.server(Map.of());
        String rd = "coap://127.0.0.1:" + server.plainAddress().getPort();
        ThingId id = ThingId.of("coap", "lcplug");
        try (Libcoap.Server device = new Libcoap.Server()) {
            String data = "coap://127.0.0.1:" + device.port + "/example_data";
            await().atMost(Duration.ofSeconds(5)).until(() -> Libcoap.client(dir, 1, null, "-m", "get",
                    "coap://127.0.0.1:" + device.port + "/.well-known/core").output().contains("example_data"));
            Libcoap.Run r = Libcoap.client(dir, "</example_data>;rt=\"on\";obs", "-m", "post", "-t", "40",
                    rd + "/rd?ep=lcplug&lt=60&et=rosetta:smart-plug:1.0.0&base=coap://127.0.0.1:" + device.port);
            assertThat(r.exit()).as(r.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(id)
                    .map(t -> t.connectivity().status() == ConnectivityStatus.Status.ONLINE).orElse(false));

            // observe: a value written on the device by someone else is notified to the binding
            r = Libcoap.client(dir, "[{\"n\":\"on\",\"vb\":false}]", "-m", "put", "-t", "110", data);
            assertThat(r.exit()).as(r.output()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> switchOn(id).equals(java.util.Optional.of(JsonBoolean.FALSE)));

            // command: desired state goes to the device, which confirms and holds it
            core.registry.merge(id, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonBoolean.TRUE),
                    Precondition.none());
            await().atMost(Duration.ofSeconds(5)).until(() -> switchOn(id).equals(java.util.Optional.of(JsonBoolean.TRUE)));
            assertThat(core.runtime.commandsConfirmed()).isEqualTo(1);
            r = Libcoap.client(dir, null, "-m", "get", data);
            assertThat(r.output()).contains("\"vb\":true");
        }
    }

    private java.util.Optional<io.rosetta.core.json.JsonValue> switchOn(ThingId id) {
        return core.twin(id).flatMap(t -> t.feature("switch")).map(f -> f.properties().getOrNull("on"));
    }
}
