package io.rosetta.binding.coap.internal;

import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.TH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.coap.internal.dtls.KeyFiles;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.model.ThingId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libcoap's {@code coap-client-gnutls} as a device with a raw public key (RFC 7250, {@code -M}): its key in the
 * trusted directory registers and reports; a key the server does not trust fails the handshake. Skipped with a
 * message when the Debian package {@code libcoap3-bin} is not installed.
 */
class LibcoapRawPublicKeyTest {

    private final CoreWiring core = new CoreWiring();
    @TempDir
    Path dir;

    @BeforeAll
    static void libcoap() {
        if (!Libcoap.available(Libcoap.GNUTLS_CLIENT)) {
            String message = Libcoap.GNUTLS_CLIENT + " is not installed (Debian package libcoap3-bin): the libcoap RPK tests are skipped";
            org.slf4j.LoggerFactory.getLogger(LibcoapRawPublicKeyTest.class).warn(message);
            Assumptions.abort(message);
        }
    }

    @AfterEach
    void close() {
        core.close();
    }

    /** A device key file as libcoap's {@code -M} reads it ({@link CoapClients#sec1Pem}). */
    private Path keyFile(String name, KeyPair pair) throws Exception {
        return Files.writeString(dir.resolve(name + "-device.pem"), CoapClients.sec1Pem(pair));
    }

    @Test
    void aTrustedRawPublicKeyIsAcceptedAnUnknownOneRefused() throws Exception {
        Path trusted = Files.createDirectories(dir.resolve("coap-rpk"));
        KeyPair lc3 = CoapClients.ecKeyPair();
        Files.writeString(trusted.resolve("lc3.pem"), KeyFiles.pem("PUBLIC KEY", lc3.getPublic().getEncoded()));
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false, "rawPublicKeys", true,
                "serverKeyFile", dir.resolve("server-key.pem").toString(), "rpkDir", trusted.toString()));
        String base = "coaps://127.0.0.1:" + server.secureAddress().getPort();
        Path lc3Key = keyFile("lc3", lc3);

        Libcoap.Run r = Libcoap.run(Libcoap.GNUTLS_CLIENT, dir, 5, "</temp>;rt=\"temperature\"", "-m", "post", "-t", "40",
                "-M", lc3Key.toString(), base + "/rd?ep=lc3&lt=60&et=" + TH);
        assertThat(r.exit()).as(r.output()).isZero();
        r = Libcoap.run(Libcoap.GNUTLS_CLIENT, dir, 5, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":26.5}]", "-m", "post", "-t", "110",
                "-M", lc3Key.toString(), base + "/dev/lc3");
        assertThat(r.exit()).as(r.output()).isZero();
        ThingId id = ThingId.of("coap", "lc3");
        await().atMost(Duration.ofSeconds(5)).until(() -> core.twin(id).flatMap(t -> t.feature("temperature"))
                .map(f -> f.properties().getOrNull("value")).filter(v -> v.equals(JsonNumber.of(26.5))).isPresent());

        long received = core.runtime.received();
        Path strangerKey = keyFile("stranger", CoapClients.ecKeyPair());
        r = Libcoap.run(Libcoap.GNUTLS_CLIENT, dir, 2, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":40}]", "-m", "post", "-t", "110",
                "-M", strangerKey.toString(), base + "/dev/lc3");
        assertThat(r.output()).doesNotContain("2.04");
        assertThat(core.runtime.received()).as(r.output()).isEqualTo(received);
        assertThat(core.twin(id).flatMap(t -> t.feature("temperature")).map(f -> f.properties().getOrNull("value")))
                .contains(JsonNumber.of(26.5));
    }
}
