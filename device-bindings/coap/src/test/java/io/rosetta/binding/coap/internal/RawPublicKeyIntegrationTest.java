package io.rosetta.binding.coap.internal;

import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.LINKS;
import static io.rosetta.binding.coap.internal.CoapServerIntegrationTest.TH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.dtls.KeyFiles;
import io.rosetta.binding.coap.internal.dtls.PskCredentials;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.model.ThingId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DTLS with raw public keys (RFC 7250): Scandium clients with a trusted key, with an unknown one, with a key
 * added to and removed from the trusted directory while the server runs; the server's own key pair created
 * once and kept. And pre-shared keys from a credential store other than the configuration (as a device
 * registry plugs in): an identity that is not the endpoint's name, and a revoked identity.
 */
class RawPublicKeyIntegrationTest {

    private final CoreWiring core = new CoreWiring();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        core.close();
    }

    private Map<String, Object> rpkConfig(Map<String, Object> more) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("allowPlainCoap", false, "rawPublicKeys", true,
                "serverKeyFile", dir.resolve("etc/coap-server-key.pem").toString()));
        p.putAll(more);
        return p;
    }

    private boolean temperatureIs(String ep, double v) {
        return core.twin(ThingId.of("coap", ep)).flatMap(t -> t.feature("temperature")).map(f -> f.properties().getOrNull("value"))
                .filter(x -> x.equals(JsonNumber.of(v))).isPresent();
    }

    @Test
    void aTrustedKeyRegistersAndReportsAnUnknownKeyFailsTheHandshake() throws Exception {
        KeyPair th1 = CoapClients.ecKeyPair();
        KeyPair stranger = CoapClients.ecKeyPair();
        CoapServerComponent server = core.server(rpkConfig(Map.of("rpk.th1",
                Base64.getEncoder().encodeToString(th1.getPublic().getEncoded()), "psk.th5", "th5-secret")));
        assertThat(server.secureAddress()).isNotNull();
        // pre-shared keys work on the same endpoint
        try (CoapClients th5 = CoapClients.dtls(server.secureAddress(), "th5", "th5-secret".getBytes(StandardCharsets.UTF_8))) {
            assertThat(th5.post("/rd?ep=th5&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
        }
        try (CoapClients device = CoapClients.rpk(server.secureAddress(), th1, server.serverPublicKey())) {
            CoapResponse r = device.post("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CREATED);
            r = device.post("/dev/th1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":17.25}]", ReadingIngest.SENML_JSON);
            assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs("th1", 17.25));

            // the key authenticates th1, nobody else
            r = device.post("/rd?ep=th2&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
            assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
            assertThat(r.getResponseText()).contains("'th1' may not act for endpoint 'th2'");
        }
        long received = core.runtime.received();
        try (CoapClients unknown = CoapClients.rpk(server.secureAddress(), stranger, server.serverPublicKey())) {
            assertThat(unknown.tryPost("/rd?ep=th1&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT)).isNull();
            assertThat(unknown.tryPost("/dev/th1", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":99}]", ReadingIngest.SENML_JSON)).isNull();
        }
        // refused in the handshake: no request reached a resource, the twin kept its value
        assertThat(core.runtime.received()).isEqualTo(received);
        assertThat(core.runtime.rejected()).containsOnlyKeys(RejectReason.FORBIDDEN);
        assertThat(temperatureIs("th1", 17.25)).isTrue();
        assertThat(core.twin(ThingId.of("coap", "th2"))).isEmpty();
    }

    @Test
    void keysOfTheTrustedDirectoryCanBeAddedAndWithdrawnWhileTheServerRuns() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("coap-rpk"));
        KeyPair pem = CoapClients.ecKeyPair();
        KeyPair der = CoapClients.ecKeyPair();
        Files.writeString(keys.resolve("pemdev.pem"), KeyFiles.pem("PUBLIC KEY", pem.getPublic().getEncoded()));
        Files.writeString(keys.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
        CoapServerComponent server = core.server(rpkConfig(Map.of("rpkDir", keys.toString())));
        try (CoapClients device = CoapClients.rpk(server.secureAddress(), pem, server.serverPublicKey())) {
            assertThat(device.post("/rd?ep=pemdev&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
        }
        try (CoapClients device = CoapClients.rpk(server.secureAddress(), der, server.serverPublicKey())) {
            assertThat(device.tryPost("/rd?ep=derdev&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT)).isNull();
        }
        // added while the server runs: written next to the directory, then moved in (as a deployment tool does)
        Path staged = Files.write(dir.resolve("derdev.der"), der.getPublic().getEncoded());
        Files.move(staged, keys.resolve("derdev.der"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try (CoapClients device = CoapClients.rpk(server.secureAddress(), der, server.serverPublicKey())) {
                CoapResponse r = device.tryPost("/rd?ep=derdev&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
                return r != null && r.getCode() == ResponseCode.CREATED;
            }
        });
        // withdrawn: new handshakes fail
        Files.delete(keys.resolve("pemdev.pem"));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try (CoapClients device = CoapClients.rpk(server.secureAddress(), pem, server.serverPublicKey())) {
                return device.tryPost("/rd?ep=pemdev&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT) == null;
            }
        });
    }

    @Test
    void theServerKeyPairIsCreatedAtTheFirstStartAndKept() throws Exception {
        Path file = dir.resolve("etc/coap-server-key.pem");
        assertThat(file).doesNotExist();
        CoapServerComponent first = core.server(rpkConfig(Map.of()));
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).contains("-----BEGIN PRIVATE KEY-----").contains("-----BEGIN PUBLIC KEY-----");
        CoapServerComponent second = core.server(rpkConfig(Map.of()));
        assertThat(second.serverPublicKey()).isEqualTo(first.serverPublicKey());

        // a file that is not a key pair: the DTLS endpoint stays down, plain CoAP still runs
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "not a key", StandardCharsets.US_ASCII);
        CoapServerComponent third = core.server(rpkConfig(Map.of("serverKeyFile", broken.toString(), "allowPlainCoap", true)));
        assertThat(third.secureAddress()).isNull();
        assertThat(third.plainAddress()).isNotNull();
    }

    @Test
    void preSharedKeysFromAnotherCredentialStoreFirstThenTheConfiguration() throws Exception {
        // a store as a device registry keeps it: identity "dev-0042" authenticates endpoint "th9"; revocable
        Map<String, PskCredentials.Credential> registry = new ConcurrentHashMap<>();
        registry.put("dev-0042", new PskCredentials.Credential("th9", "registry-key".getBytes(StandardCharsets.UTF_8)));
        PskCredentials store = identity -> Optional.ofNullable(registry.get(identity));
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false, "psk.cfgdev", "config-key"), store);

        try (CoapClients th9 = CoapClients.dtls(server.secureAddress(), "dev-0042", "registry-key".getBytes(StandardCharsets.UTF_8))) {
            assertThat(th9.post("/rd?ep=th9&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
            assertThat(th9.post("/dev/th9", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":12.5}]", ReadingIngest.SENML_JSON).getCode())
                    .isEqualTo(ResponseCode.CHANGED);
            await().atMost(Duration.ofSeconds(5)).until(() -> temperatureIs("th9", 12.5));
            // the identity is not an endpoint name of its own
            assertThat(th9.post("/rd?ep=dev-0042&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.FORBIDDEN);
        }
        // the configuration still answers for identities the store does not know
        try (CoapClients cfg = CoapClients.dtls(server.secureAddress(), "cfgdev", "config-key".getBytes(StandardCharsets.UTF_8))) {
            assertThat(cfg.post("/rd?ep=cfgdev&lt=60&et=" + TH, LINKS, MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode())
                    .isEqualTo(ResponseCode.CREATED);
        }
        // revoked: the next handshake fails
        registry.remove("dev-0042");
        try (CoapClients th9 = CoapClients.dtls(server.secureAddress(), "dev-0042", "registry-key".getBytes(StandardCharsets.UTF_8))) {
            assertThat(th9.tryPost("/dev/th9", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":30}]", ReadingIngest.SENML_JSON)).isNull();
        }
        assertThat(temperatureIs("th9", 12.5)).isTrue();
    }
}
