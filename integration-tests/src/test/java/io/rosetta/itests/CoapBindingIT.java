package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;

/**
 * The CoAP binding installed while the server runs ({@code feature:install rosetta-binding-coap}, configured
 * beforehand through Config Admin on free UDP ports with plain CoAP allowed), and devices talking to it: a
 * Californium client (registration, SenML and JSON readings, bad input), libcoap's {@code coap-client-openssl}
 * over DTLS with the right and a wrong pre-shared key, and libcoap's {@code coap-server-openssl} as an observed
 * device that takes desired state. Every effect is checked over the REST API. The libcoap tests are skipped when
 * the Debian package {@code libcoap3-bin} is not installed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoapBindingIT extends RosettaTestSupport {

    private static final String FEATURE = "rosetta-binding-coap";
    private static final String BUNDLE = "rosetta-binding-coap";
    private static final String PID = "io.rosetta.binding.coap";
    private static final String TH = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final String PLUG = "rosetta:smart-plug:1.0.0";
    private static final String PSK_IDENTITY = "it-lc";
    private static final String PSK = "it-lc-secret";
    private static final String LIBCOAP_CLIENT = "coap-client-openssl";
    private static final String LIBCOAP_SERVER = "coap-server-openssl";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static int coapPort;
    private static int coapsPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Configures the binding on free UDP ports and installs its feature, once per container. */
    @Before
    public void coapBindingInstalledAtRuntime() throws Exception {
        awaitReady();
        if (bundle() != null) {
            return;
        }
        coapPort = freeUdpPort();
        coapsPort = freeUdpPort();
        Configuration config = configurationAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "127.0.0.1");
        properties.put("port", Integer.toString(coapPort));
        properties.put("securePort", Integer.toString(coapsPort));
        properties.put("allowPlainCoap", "true");
        properties.put("minLifetime", "1");
        properties.put("ackTimeout", "500");
        properties.put("psk." + PSK_IDENTITY, PSK);
        config.update(properties);

        String out = executeCommand("feature:install " + FEATURE);
        assertThat(bundle()).as("%s installed: %s", BUNDLE, out).isNotNull();
        Awaitility.await("the CoAP binding is active").atMost(WAIT).until(() -> bundle().getState() == Bundle.ACTIVE);
        Awaitility.await("the CoAP server answers on udp/" + coapPort).atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> CaliforniumDevice.ping(coapPort));
    }

    @Test
    public void californiumDeviceRegistersAndItsReadingsReachTheTwinOverRest() throws Exception {
        try (CaliforniumDevice device = new CaliforniumDevice(coapPort)) {
            assertThat(device.post("/rd?ep=it-th1&lt=300&et=" + TH, "</temp>;rt=\"temperature\"", 40)).startsWith("2.01");
            awaitRestContains("/api/2/things/coap:it-th1?fields=thingId,_connectivity", "\"ONLINE\"");

            assertThat(device.post("/dev/it-th1", "[{\"bn\":\"urn:dev:it-th1:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5},"
                    + "{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":40}]", 110)).startsWith("2.04");
            awaitRest("/api/2/things/coap:it-th1/features/temperature/properties/value", "21.5");
            assertThat(get("/api/2/things/coap:it-th1/features/humidity/properties/value").body()).isEqualTo("40");

            // plain JSON through the model's JSON mapping, in °F
            assertThat(device.post("/dev/it-th1", "{\"temperature\":72.5,\"unit\":\"F\",\"humidity\":45}", 50)).startsWith("2.04");
            awaitRest("/api/2/things/coap:it-th1/features/temperature/properties/value", "22.5");

            // bad input: 4.00 with the diagnostic, counted, the twin unchanged
            long outOfRange = CaliforniumDevice.rejected(bundleContext, "OUT_OF_RANGE");
            assertThat(device.post("/dev/it-th1", "{\"temperature\":21,\"humidity\":140}", 50))
                    .startsWith("4.00").contains("140 is above the maximum 100 %");
            assertThat(device.post("/dev/it-th1", "[{\"n\":\"temp\",\"v\":", 110)).startsWith("4.00");
            assertThat(device.post("/dev/nobody", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":20}]", 110)).startsWith("4.04");
            assertThat(CaliforniumDevice.rejected(bundleContext, "OUT_OF_RANGE")).isEqualTo(outOfRange + 1);
            assertThat(get("/api/2/things/coap:it-th1/features/humidity/properties/value").body()).isEqualTo("45");
            assertThat(get("/api/2/things/coap:nobody").statusCode()).isEqualTo(404);
        }
    }

    @Test
    public void libcoapWithTheRightPskPostsOverDtlsAndAWrongPskIsRefused() throws Exception {
        Assume.assumeTrue(LIBCOAP_CLIENT + " is not installed (Debian package libcoap3-bin)", installed(LIBCOAP_CLIENT));
        String base = "coaps://127.0.0.1:" + coapsPort;
        Run r = libcoap(5, "</temp>;rt=\"temperature\"", "-m", "post", "-t", "40", "-u", PSK_IDENTITY, "-k", PSK,
                base + "/rd?ep=" + PSK_IDENTITY + "&lt=300&et=" + TH);
        assertThat(r.exit).as(r.output).isZero();
        r = libcoap(5, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":18.75}]", "-m", "post", "-t", "110", "-u", PSK_IDENTITY, "-k", PSK,
                base + "/dev/" + PSK_IDENTITY);
        assertThat(r.exit).as(r.output).isZero();
        awaitRest("/api/2/things/coap:" + PSK_IDENTITY + "/features/temperature/properties/value", "18.75");

        long received = CaliforniumDevice.received(bundleContext);
        r = libcoap(2, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":30}]", "-m", "post", "-t", "110", "-u", PSK_IDENTITY, "-k", "wrong-secret",
                base + "/dev/" + PSK_IDENTITY);
        assertThat(r.output).doesNotContain("2.04");
        // refused in the handshake: no request reached a resource, the twin kept its value
        assertThat(CaliforniumDevice.received(bundleContext)).as(r.output).isEqualTo(received);
        assertThat(get("/api/2/things/coap:" + PSK_IDENTITY + "/features/temperature/properties/value").body()).isEqualTo("18.75");
    }

    @Test
    public void observeAndDesiredStateRoundTripWithALibcoapDevice() throws Exception {
        Assume.assumeTrue("libcoap3-bin is not installed", installed(LIBCOAP_CLIENT) && installed(LIBCOAP_SERVER));
        int devicePort = freeUdpPort();
        Process device = new ProcessBuilder(LIBCOAP_SERVER, "-A", "127.0.0.1", "-p", Integer.toString(devicePort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String data = "coap://127.0.0.1:" + devicePort + "/example_data";
            Awaitility.await("libcoap's server answers").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> libcoap(1, null, "-m", "get", "coap://127.0.0.1:" + devicePort + "/.well-known/core").output
                            .contains("example_data"));
            Run r = libcoap(5, "</example_data>;rt=\"on\";obs", "-m", "post", "-t", "40", "coap://127.0.0.1:" + coapPort
                    + "/rd?ep=it-plug&lt=300&et=" + PLUG + "&base=coap://127.0.0.1:" + devicePort);
            assertThat(r.exit).as(r.output).isZero();

            // observe: a value written on the device by someone else reaches the twin
            r = libcoap(5, "[{\"n\":\"on\",\"vb\":false}]", "-m", "put", "-t", "110", data);
            assertThat(r.exit).as(r.output).isZero();
            awaitRest("/api/2/things/coap:it-plug/features/switch/properties/on", "false");

            // desired state over REST: a confirmable PUT to the device, which confirms and holds it
            HttpResponse<String> put = put("/api/2/things/coap:it-plug/features/switch/desiredProperties/on", "true");
            assertThat(put.statusCode()).as(put.body()).isIn(201, 204);
            awaitRest("/api/2/things/coap:it-plug/features/switch/properties/on", "true");
            assertThat(libcoap(5, null, "-m", "get", data).output).contains("\"vb\":true");
        } finally {
            device.destroy();
            if (!device.waitFor(5, TimeUnit.SECONDS)) {
                device.destroyForcibly();
            }
        }
    }

    private Bundle bundle() {
        for (Bundle b : bundleContext.getBundles()) {
            if (BUNDLE.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /** Waits until the REST API answers {@code path} with exactly {@code json}. */
    private void awaitRest(String path, String json) {
        Awaitility.await(path + " = " + json).atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(path).body(), json::equals);
    }

    /** Waits until the REST API's answer to {@code path} contains {@code fragment}. */
    private void awaitRestContains(String path, String fragment) {
        Awaitility.await(path + " contains " + fragment).atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(path).body(), body -> body.contains(fragment));
    }

    private HttpResponse<String> put(String path, String json) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** One run of libcoap's client: exit code and output. */
    private static final class Run {
        final int exit;
        final String output;

        Run(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    /** Runs {@code coap-client-openssl} with a payload from a file (as is, not percent-decoded as {@code -e} would be). */
    private static Run libcoap(int waitSeconds, String payload, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LIBCOAP_CLIENT, "-B", Integer.toString(waitSeconds)));
        Path file = null;
        if (payload != null) {
            file = Files.createTempFile("coap-it", ".payload");
            Files.writeString(file, payload, StandardCharsets.UTF_8);
            cmd.add("-f");
            cmd.add(file.toString());
        }
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(waitSeconds + 10L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(LIBCOAP_CLIENT + " did not finish: " + cmd);
            }
            return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
