package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.testing.MosquittoProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS with a trust store and a client certificate, against a Mosquitto that requires client
 * certificates: a CA, a server and a client certificate made with openssl, the stores with keytool
 * and openssl, as an administrator would make them.
 */
class TlsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private final CoreWiring core = new CoreWiring();
    private MosquittoProcess mosquitto;
    private int tlsPort;
    private MqttBrokerConnection broker;

    @BeforeEach
    void certificatesAndBroker() throws Exception {
        assumeTrue(MosquittoProcess.available() && Files.isExecutable(Path.of("/usr/bin/openssl")), "mosquitto and openssl are installed");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Rosetta Test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        certificate("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        certificate("client", "/CN=rosetta-binding", "extendedKeyUsage=clientAuth");
        run("openssl", "pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12", "-passout", "pass:secret");
        run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", "changeit");
        tlsPort = MosquittoProcess.freePort();
        mosquitto = new MosquittoProcess(dir.resolve("broker"), List.of(
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + dir.resolve("ca.pem"),
                "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key"),
                "require_certificate true",
                "allow_anonymous true"));
        mosquitto.start();
    }

    private void certificate(String name, String subject, String extension) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(dir.resolve("openssl.log"))).isZero();
    }

    @AfterEach
    void close() {
        if (broker != null) {
            broker.deactivate();
        }
        core.close();
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private Map<String, Object> config(String client, boolean withClientCertificate) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", "tls");
        c.put("client", client);
        c.put("url", "ssl://127.0.0.1:" + tlsPort);
        c.put("clientId", "rosetta-tls-test");
        c.put("trustStore", dir.resolve("trust.p12").toString());
        c.put("trustStorePassword", "changeit");
        if (withClientCertificate) {
            c.put("keyStore", dir.resolve("client.p12").toString());
            c.put("keyStorePassword", "secret");
        }
        c.put("dialects", "tasmota");
        c.put("namespace", "tls");
        c.put("reconnectInitialDelay", "100ms");
        c.put("reconnectMaxDelay", "500ms");
        c.put("offlineGrace", "300ms");
        return c;
    }

    @ParameterizedTest(name = "client {0}")
    @ValueSource(strings = {"vertx", "paho"})
    void connectsWithTrustStoreAndClientCertificate(String client) throws Exception {
        broker = core.broker(config(client, true));
        await().atMost(WAIT).until(broker::isConnected);

        // a device on the plain listener of the same broker
        try (MqttClient device = new MqttClient(mosquitto.url(), "tls-test-device", new MemoryPersistence())) {
            device.connect();
            device.publish("tele/vault/SENSOR", "{\"AM2301\":{\"Temperature\":18.5,\"Humidity\":55.0},\"TempUnit\":\"C\"}"
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            device.disconnect();
        }
        ThingId id = ThingId.of("tls", "tasmota-vault");
        await().atMost(WAIT).until(() -> core.twin(id).flatMap(t -> t.feature("temperature"))
                .map(f -> f.properties() != null && JsonValue.of(18.5).equals(f.properties().getOrNull("value"))).orElse(false));
    }

    @ParameterizedTest(name = "client {0}")
    @ValueSource(strings = {"vertx", "paho"})
    void withoutAClientCertificateTheBrokerRefusesAndTheSupervisorKeepsTrying(String client) {
        broker = core.broker(config(client, false));
        // the refused handshake is reported as the connection's problem, and it stays down
        await().atMost(WAIT).until(() -> broker.linkState() == MqttBrokerConnection.LinkState.DOWN
                && !broker.lastProblem().equals("not connected yet"));
        System.out.println("TLS without client certificate: " + broker.lastProblem());
        assertThat(broker.isConnected()).isFalse();
    }
}
