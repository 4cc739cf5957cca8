package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.rosetta.broker.BrokerStatistics;
import io.rosetta.broker.BrokerStatistics.ConnectRefusal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/**
 * Device credentials enforced in the running server (one container boot): devices provisioned, suspended, resumed and
 * decommissioned with the shell commands, and a Paho client that logs in to the embedded broker (installed at runtime
 * on a free port, with a service account) — accepted while the device is PROVISIONED or ACTIVE, refused otherwise; and
 * the same pushed to a real Mosquitto with its dynamic security plugin that the test starts on a free port.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeviceAdminIT extends RosettaTestSupport {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    /** {@code echo -n 'service-secret-1' | argon2 c2FsdHNhbHRzYWx0 -id -t 2 -m 12 -p 1 -e}. */
    static final String SERVICE_HASH = "$argon2id$v=19$m=4096,t=2,p=1$YzJGc2RITmhiSFJ6WVd4MA$suWr31xVOCjRH4hK7kQDya5AC6VfBZMRzU+21fiDp7A";
    static final String SERVICE_PASSWORD = "service-secret-1";
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path MOSQUITTO_CTRL = Path.of("/usr/bin/mosquitto_ctrl");
    static final Path DYNSEC_PLUGIN = Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");
    static final Duration WAIT = Duration.ofSeconds(20);

    private final List<MqttClient> clients = new ArrayList<>();
    private Process mosquitto;
    private Path mosquittoDir;

    @Override
    @Configuration
    public Option[] config() throws IOException {
        int brokerPort = freePort();
        return OptionUtils.combine(super.config(),
                // the push to Mosquitto, once a test installs it, to the Mosquitto that test starts (written before the feature
                // writes its own file, which it then keeps)
                editConfigurationFilePut("etc/io.rosetta.dynsec.cfg", "enabled", "true"),
                editConfigurationFilePut("etc/io.rosetta.dynsec.cfg", "url", "tcp://127.0.0.1:" + freePort()),
                editConfigurationFilePut("etc/io.rosetta.dynsec.cfg", "username", "it-admin"),
                editConfigurationFilePut("etc/io.rosetta.dynsec.cfg", "password", "it-admin-password"),
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "host", "127.0.0.1"),
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "port", Integer.toString(brokerPort)),
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "persistence", "false"),
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "servicePasswordHash", SERVICE_HASH),
                editConfigurationFilePut("etc/io.rosetta.devices.cfg", "kdf.memory.kib", "4096"),
                editConfigurationFilePut("etc/io.rosetta.devices.cfg", "kdf.iterations", "1"));
    }

    @Before
    public void setUp() {
        awaitReady();
    }

    @After
    public void tearDown() throws Exception {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
                c.close(true);
            } catch (MqttException e) {
                // the broker closed it
            }
        }
        if (mosquitto != null) {
            mosquitto.destroy();
            if (!mosquitto.waitFor(10, TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (mosquittoDir != null) {
            try (Stream<Path> files = Files.walk(mosquittoDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    public void theEmbeddedBrokerLetsDevicesInOnlyWhileTheRegistryDoes() throws Exception {
        executeCommand("feature:install rosetta-broker");
        int brokerPort = Integer.parseInt(String.valueOf(configurationAdmin.getConfiguration("io.rosetta.broker", null).getProperties().get("port")));
        await("the embedded broker listens on " + brokerPort).until(() -> accepts(brokerPort));
        String url = "tcp://127.0.0.1:" + brokerPort;
        // the broker may still be taking up its configuration right after the install and close a first connection
        // (seen as an EOF at CONNECT): the service account connects again, as clients do
        MqttClient service = await("the service account connected to the embedded broker").ignoreExceptions()
                .until(() -> connect(url, "rosetta-it", "rosetta", SERVICE_PASSWORD), MqttClient::isConnected);
        BrokerStatistics stats = service(BrokerStatistics.class);
        assertThat(stats.authenticatesDevices()).as("the device registry is installed").isTrue();
        assertThat(stats.anonymousAllowed()).isFalse();

        assertThat(executeCommand("rosetta:provision it-th1 --model " + SENSOR + " --binding mqtt --mqtt-password it-th1-password"))
                .contains("Provisioned it-th1 as device:it-th1");

        // the service account sees what the device publishes on its own topics
        List<String> seen = new CopyOnWriteArrayList<>();
        service.subscribe("tele/#", 1, (topic, message) -> seen.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

        MqttClient device = connect(url, "it-th1", "it-th1", "it-th1-password");
        device.publish("tele/it-th1/SENSOR", "{\"AM2301\":{\"Temperature\":21.5}}".getBytes(StandardCharsets.UTF_8), 1, false);
        await("the device's message").until(() -> seen.size() == 1);
        assertThat(seen).containsExactly("tele/it-th1/SENSOR {\"AM2301\":{\"Temperature\":21.5}}");

        assertRefused(url, "it-th1-wrong", "it-th1", "not-its-password");
        assertRefused(url, "anonymous", null, null);
        assertThat(stats.refused(ConnectRefusal.BAD_CREDENTIALS)).isEqualTo(1);

        AtomicReference<Throwable> lost = new AtomicReference<>();
        device.setCallback(lostInto(lost));
        assertThat(executeCommand("rosetta:suspend it-th1 --reason maintenance")).contains("-> SUSPENDED");
        await("the suspended device's session is closed").until(() -> lost.get() != null);
        assertRefused(url, "it-th1-suspended", "it-th1", "it-th1-password");
        assertThat(stats.refused(ConnectRefusal.NOT_ALLOWED)).isEqualTo(1);
        assertThat(stats.revocationDisconnects()).isEqualTo(1);

        assertThat(executeCommand("rosetta:resume it-th1")).contains("-> ACTIVE");
        assertThat(connect(url, "it-th1-resumed", "it-th1", "it-th1-password").isConnected()).isTrue();

        assertThat(executeCommand("rosetta:decommission it-th1 --reason scrapped")).contains("-> DECOMMISSIONED");
        assertRefused(url, "it-th1-decommissioned", "it-th1", "it-th1-password");
        assertThat(stats.acceptedDevices()).isEqualTo(2);
        assertThat(stats.acceptedService()).isEqualTo(1);
        assertThat(stats.deviceSessions()).isZero();
    }

    @Test
    public void theRegistryPushesDevicesToMosquittosDynamicSecurity() throws Exception {
        assertThat(MOSQUITTO).as("Mosquitto (Debian package mosquitto)").isExecutable();
        assertThat(DYNSEC_PLUGIN).as("Mosquitto's dynamic security plugin (dpkg -L mosquitto | grep dynamic)").isReadable();
        String url = String.valueOf(configurationAdmin.getConfiguration("io.rosetta.dynsec", null).getProperties().get("url"));
        startMosquitto(Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));

        executeCommand("feature:install rosetta-mosquitto-dynsec");
        await("connected to Mosquitto and resynced").until(() -> executeCommand("rosetta:dynsec").contains("CONNECTED")
                && executeCommand("rosetta:dynsec").contains("Last resync"));

        executeCommand("rosetta:provision it-ms1 --model " + SENSOR + " --binding mqtt --mqtt-password it-ms1-password");
        MqttClient device = await("the device's client in Mosquitto").until(() -> connect(url, "it-ms1", "it-ms1", "it-ms1-password"),
                c -> c != null && c.isConnected());
        assertRefused(url, "it-ms1-wrong", "it-ms1", "not-its-password");

        AtomicReference<Throwable> lost = new AtomicReference<>();
        device.setCallback(lostInto(lost));
        executeCommand("rosetta:suspend it-ms1");
        await("Mosquitto kicks the suspended device").until(() -> lost.get() != null);
        assertRefused(url, "it-ms1-suspended", "it-ms1", "it-ms1-password");
        executeCommand("rosetta:resume it-ms1");
        await("resumed in Mosquitto").until(() -> connect(url, "it-ms1-resumed", "it-ms1", "it-ms1-password"), c -> c != null && c.isConnected());
        executeCommand("rosetta:decommission it-ms1");
        await("deleted from Mosquitto").until(() -> executeCommand("rosetta:dynsec").contains("deleteRole 1"));
        assertRefused(url, "it-ms1-decommissioned", "it-ms1", "it-ms1-password");
        assertThat(executeCommand("rosetta:dynsec --resync")).contains("0 refused");
    }

    private void startMosquitto(int port) throws Exception {
        Path dir = Files.createTempDirectory("rosetta-dynsec-it");
        mosquittoDir = dir;
        Path json = dir.resolve("dynamic-security.json");
        Process init = new ProcessBuilder(MOSQUITTO_CTRL.toString(), "dynsec", "init", json.toString(), "it-admin", "it-admin-password")
                .redirectErrorStream(true).redirectOutput(dir.resolve("init.log").toFile()).start();
        assertThat(init.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(init.exitValue()).as(Files.readString(dir.resolve("init.log"))).isZero();
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "user " + System.getProperty("user.name"),
                "allow_anonymous false",
                "plugin " + DYNSEC_PLUGIN,
                "plugin_opt_config_file " + json,
                "log_dest file " + dir.resolve("mosquitto.log"),
                ""));
        mosquitto = new ProcessBuilder(MOSQUITTO.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        await("Mosquitto listens on " + port).until(() -> accepts(port));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = bundleContext.getServiceReference(type);
        assertThat(ref).as(type.getSimpleName() + " service").isNotNull();
        return bundleContext.getService(ref);
    }

    private MqttClient connect(String url, String clientId, String username, String password) throws MqttException {
        MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
        clients.add(c);
        c.connect(options(username, password));
        return c;
    }

    private void assertRefused(String url, String clientId, String username, String password) throws MqttException {
        MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
        clients.add(c);
        assertThatThrownBy(() -> c.connect(options(username, password))).isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode())
                        .isIn((int) MqttException.REASON_CODE_NOT_AUTHORIZED, (int) MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    }

    private static MqttConnectOptions options(String username, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    private static MqttCallback lostInto(AtomicReference<Throwable> lost) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.set(cause == null ? new IllegalStateException("lost") : cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }

    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
