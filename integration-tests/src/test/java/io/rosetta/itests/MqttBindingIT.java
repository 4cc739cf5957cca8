package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
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
import org.osgi.framework.Bundle;

/**
 * The MQTT binding in the running server (one container boot): installed at runtime, connected through Config Admin
 * factory configurations to Mosquitto brokers the tests start on free ports and to the embedded broker, with devices
 * played by plain Paho clients that publish what Zigbee2MQTT, Tasmota and Shelly firmware publish. Each test starts
 * its own Mosquitto and its own broker connection, removes them afterwards, and leaves the binding installed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MqttBindingIT extends RosettaTestSupport {

    static final String MQTT_BINDING = "rosetta-binding-mqtt";
    static final String EMBEDDED_BROKER = "rosetta-broker";
    static final String BROKER_PID = "io.rosetta.binding.mqtt.broker";
    /** The binding's shipped connection 'local' (tcp://127.0.0.1:1883): pointed at the embedded broker's free port. */
    static final String LOCAL_CONNECTION_CFG = "etc/" + BROKER_PID + "-local.cfg";
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    /** Namespace of the twins of the tests' own broker connections ('local' keeps the shipped 'mqtt'). */
    static final String NAMESPACE = "it.mqtt";
    static final Duration WAIT = Duration.ofSeconds(20);

    static final String Z2M_CLIMATE = "{\"battery\":87,\"humidity\":40,\"linkquality\":134,\"temperature\":21.5,\"voltage\":2995}";
    static final String TASMOTA_CLIMATE_F = "{\"Time\":\"2024-05-04T10:15:32\",\"SHT3X-0x44\":{\"Temperature\":70.7,\"Humidity\":40.0,"
            + "\"DewPoint\":45.9},\"TempUnit\":\"F\"}";
    static final String SHELLY_PLUG = "{\"src\":\"shellyplusplugs-80646fe1d2a4\",\"dst\":\"shellyplusplugs-80646fe1d2a4/events\","
            + "\"method\":\"NotifyStatus\",\"params\":{\"ts\":1690016154.52,\"switch:0\":{\"id\":0,\"apower\":56.3,\"current\":0.244,"
            + "\"voltage\":231.2,\"aenergy\":{\"by_minute\":[940.123,938.411,941.002],\"minute_ts\":1690016153,\"total\":1514.153},"
            + "\"output\":true}}}";
    static final String TASMOTA_STATE_ON = "{\"Time\":\"2024-05-04T10:15:32\",\"Uptime\":\"0T01:02:03\",\"UptimeSec\":3723,\"Heap\":26,"
            + "\"SleepMode\":\"Dynamic\",\"Sleep\":50,\"LoadAvg\":19,\"MqttCount\":1,\"POWER\":\"ON\",\"Wifi\":{\"AP\":1,\"SSId\":\"home\","
            + "\"BSSId\":\"30:B5:C2:5A:11:F0\",\"Channel\":6,\"Mode\":\"11n\",\"RSSI\":78,\"Signal\":-61,\"LinkCount\":1,\"Downtime\":\"0T00:00:05\"}}";

    @Inject
    private TwinRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Mosquitto> mosquittos = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<org.osgi.service.cm.Configuration> connections = new ArrayList<>();
    private final List<TwinEvents> subscriptions = new ArrayList<>();
    private Path work;

    @Override
    @Configuration
    public Option[] config() throws IOException {
        int embeddedPort = freePort();
        return OptionUtils.combine(super.config(),
                // the embedded broker, once a test installs it, on a free port (1883 is the machine's Mosquitto)
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "host", "127.0.0.1"),
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "port", Integer.toString(embeddedPort)),
                // zero setup as before device credentials: anonymous clients (the device registry runs, so they are refused by default)
                editConfigurationFilePut("etc/io.rosetta.broker.cfg", "allowAnonymous", "true"),
                // the binding's shipped 'local' connection follows it there (the feature keeps an existing file)
                editConfigurationFilePut(LOCAL_CONNECTION_CFG, "url", "tcp://127.0.0.1:" + embeddedPort),
                editConfigurationFilePut(LOCAL_CONNECTION_CFG, "clientId", "rosetta-local"),
                editConfigurationFilePut(LOCAL_CONNECTION_CFG, "dialects", "zigbee2mqtt, tasmota, generic"),
                editConfigurationFilePut(LOCAL_CONNECTION_CFG, "autoApprove", "*"),
                editConfigurationFilePut(LOCAL_CONNECTION_CFG, "reconnectInitialDelay", "200ms"),
                editConfigurationFilePut(LOCAL_CONNECTION_CFG, "reconnectMaxDelay", "2s"),
                // the devices' MQTT client; installed on its own so that uninstalling the binding leaves it to the test
                mavenBundle("org.eclipse.paho", "org.eclipse.paho.client.mqttv3", System.getProperty("paho.version")));
    }

    @Before
    public void setUp() throws Exception {
        awaitReady();
        assertThat(MOSQUITTO).as("Mosquitto (Debian package mosquitto)").isExecutable();
        work = Files.createTempDirectory("rosetta-mqtt-it");
        installBinding();
    }

    @After
    public void tearDown() throws Exception {
        subscriptions.forEach(TwinEvents::close);
        for (MqttClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(1000, 1000);
                }
                client.close(true);
            } catch (MqttException e) {
                // the broker went away under the client: nothing left to close
            }
        }
        for (org.osgi.service.cm.Configuration connection : connections) {
            try {
                connection.delete();
            } catch (IllegalStateException e) {
                // already deleted
            }
        }
        mosquittos.forEach(Mosquitto::close);
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Three vendors' payloads as their firmware publishes them, mapped onto the models with units converted. */
    @Test
    public void devicesOfThreeDialectsBecomeTwinsOnAMosquittoConfiguredThroughConfigAdmin() throws Exception {
        assertThat(bundle(MQTT_BINDING)).as(MQTT_BINDING + " bundle").isNotNull()
                .satisfies(b -> assertThat(b.getState()).isEqualTo(Bundle.ACTIVE));
        Mosquitto mosquitto = mosquitto(false);
        int port = freePort();
        mosquitto.start(port);
        org.osgi.service.cm.Configuration connection = brokerConnection("devices", port);
        assertThat(configurationAdmin.listConfigurations("(service.factoryPid=" + BROKER_PID + ")"))
                .extracting(org.osgi.service.cm.Configuration::getPid).contains(connection.getPid());

        MqttClient devices = device(port, "it-devices");
        String z2m = NAMESPACE + ":z2m-it_office";
        String tasmota = NAMESPACE + ":tasmota-it_th17";
        String shelly = NAMESPACE + ":shelly-shellyplusplugs-80646fe1d2a4";
        // devices publish their telemetry periodically; until the connection has subscribed, the broker drops it
        await("twins of a Zigbee2MQTT sensor, a Tasmota sensor in °F and a Shelly plug").untilAsserted(() -> {
            publish(devices, "zigbee2mqtt/it_office", Z2M_CLIMATE);
            publish(devices, "tele/it_th17/SENSOR", TASMOTA_CLIMATE_F);
            publish(devices, "shellyplusplugs-80646fe1d2a4/events/rpc", SHELLY_PLUG);
            for (String id : List.of(z2m, tasmota, shelly)) {
                assertThat(status(twin(id))).as("status of %s", id).isEqualTo("ONLINE");
            }
            assertThat(number(twin(tasmota), "/features/temperature/properties/value")).isNotNull();
            assertThat(number(twin(shelly), "/features/energy/properties/energy")).isNotNull();
        });

        JsonObject office = twin(z2m);
        assertThat(text(office, "/definition")).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(number(office, "/features/temperature/properties/value")).isEqualTo(21.5);
        assertThat(number(office, "/features/humidity/properties/value")).isEqualTo(40.0);
        assertThat(number(office, "/features/device/properties/batteryLevel")).isEqualTo(87.0);

        // the same 21.5 °C, sent in °F by a Tasmota with TempUnit F, under the same model
        JsonObject th17 = twin(tasmota);
        assertThat(text(th17, "/definition")).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(number(th17, "/features/temperature/properties/value")).isCloseTo(21.5, within(1e-9));
        assertThat(number(th17, "/features/humidity/properties/value")).isEqualTo(40.0);

        // Shelly counts energy in W.h; the model in kW.h
        JsonObject plug = twin(shelly);
        assertThat(text(plug, "/definition")).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(number(plug, "/features/energy/properties/energy")).isCloseTo(1.514153, within(1e-9));
        assertThat(number(plug, "/features/energy/properties/power")).isEqualTo(56.3);
        assertThat(number(plug, "/features/energy/properties/voltage")).isEqualTo(231.2);
        assertThat(value(plug, "/features/switch/properties/on")).isEqualTo(JsonBoolean.TRUE);

        // the registry holds the same twin the API shows
        assertThat(registry.retrieve(ThingId.of(tasmota))).hasValueSatisfying(thing -> {
            assertThat(thing.definition()).hasValue("rosetta:temperature-humidity-sensor:1.0.0");
            assertThat(thing.connectivity().isOnline()).isTrue();
        });
    }

    /** Desired state goes out in the device's dialect; the device's answer makes the reported state converge. */
    @Test
    public void desiredStateIsSentInTheDialectAndTheReportedStateConvergesWhenTheDeviceAnswers() throws Exception {
        Mosquitto mosquitto = mosquitto(false);
        int port = freePort();
        mosquitto.start(port);
        brokerConnection("commands", port);
        String plug = NAMESPACE + ":tasmota-it_plug";

        MqttClient device = device(port, "it-plug");
        Queue<String> commands = new ConcurrentLinkedQueue<>();
        device.subscribe("cmnd/it_plug/#", 1, (topic, message) ->
                commands.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        await("a Tasmota plug that is ON").untilAsserted(() -> {
            publish(device, "tele/it_plug/STATE", TASMOTA_STATE_ON);
            publish(device, "tele/it_plug/SENSOR", tasmotaEnergy(514.153));
            JsonObject twin = twin(plug);
            assertThat(status(twin)).isEqualTo("ONLINE");
            assertThat(value(twin, "/features/switch/properties/on")).isEqualTo(JsonBoolean.TRUE);
            assertThat(number(twin, "/features/energy/properties/energy")).isEqualTo(514.153);
        });
        assertThat(text(twin(plug), "/definition")).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(number(twin(plug), "/features/device/properties/signalStrength")).isEqualTo(-61.0);

        HttpResponse<String> patched = patch("/api/2/things/" + plug + "/features/switch/desiredProperties", "{\"on\":false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);

        await("the command on cmnd/it_plug/Power").until(() -> commands.contains("cmnd/it_plug/Power OFF"));
        // the device has not answered: the twin still reports ON and wants OFF
        JsonObject waiting = twin(plug);
        assertThat(value(waiting, "/features/switch/properties/on")).isEqualTo(JsonBoolean.TRUE);
        assertThat(value(waiting, "/features/switch/desiredProperties/on")).isEqualTo(JsonBoolean.FALSE);

        // Tasmota answers a Power command on stat/<topic>/RESULT and stat/<topic>/POWER
        publish(device, "stat/it_plug/RESULT", "{\"POWER\":\"OFF\"}");
        publish(device, "stat/it_plug/POWER", "OFF");
        // the reported state converges and the desired value, now satisfied, leaves desiredProperties
        await("the reported switch state converges to the desired one").untilAsserted(() -> {
            JsonObject now = twin(plug);
            assertThat(value(now, "/features/switch/properties/on")).isEqualTo(JsonBoolean.FALSE);
            assertThat(now.getValue(JsonPointer.of("/features/switch/desiredProperties"))).isEmpty();
        });
        JsonObject converged = twin(plug);
        assertThat(number(converged, "/features/energy/properties/energy")).isEqualTo(514.153);
        assertThat(commands).as("commands the device got").containsOnly("cmnd/it_plug/Power OFF");
    }

    /**
     * The broker stops: the twins keep their status for the grace period, then go OFFLINE. While the binding is away the
     * device publishes 50 QoS 1 messages to the broker (restarted on the devices' listener only, so that the binding
     * cannot be connected); the broker keeps them for the binding's persistent session across one more restart (Mosquitto
     * persistence in a temporary folder). When the binding's listener is back, the twin is ONLINE and all 50 are applied.
     */
    @Test
    public void aBrokerRestartTakesTheTwinsOfflineAndBackWithoutLosingQos1Messages() throws Exception {
        Duration grace = Duration.ofSeconds(2);
        int messages = 50;
        Mosquitto mosquitto = mosquitto(true);
        int bindingPort = freePort();
        int devicePort = freePort();
        mosquitto.start(bindingPort, devicePort);
        brokerConnection("restart", bindingPort, "offlineGrace", grace.toMillis() + "ms");
        String sensor = NAMESPACE + ":tasmota-it_th16";
        TwinEvents events = events(ThingId.of(sensor));

        MqttClient before = device(devicePort, "it-th16");
        await("the sensor's twin, ONLINE").untilAsserted(() -> {
            publish(before, "tele/it_th16/SENSOR", tasmotaClimate(21.5, 99.5));
            assertThat(status(twin(sensor))).isEqualTo("ONLINE");
        });

        int offlineBefore = events.connectivity("OFFLINE").size();
        long stoppedAt = System.currentTimeMillis();
        mosquitto.stop();
        JsonObject offline = await("OFFLINE after the grace period").until(() -> twin(sensor), t -> "OFFLINE".equals(status(t)));
        assertThat(text(offline, "/_connectivity/detail")).isEqualTo("COMMUNICATION_ERROR");
        assertThat(text(offline, "/_connectivity/description")).contains("unreachable");
        TwinEvent wentOffline = events.connectivity("OFFLINE").get(offlineBefore);
        assertThat(wentOffline.timestamp() - stoppedAt).as("ms from the broker's stop to OFFLINE").isGreaterThanOrEqualTo(grace.toMillis());
        assertThat(number(offline, "/features/humidity/properties/value")).as("the twin keeps its last values").isEqualTo(99.5);

        // the broker is back for the devices only; they publish while the binding is disconnected
        mosquitto.start(devicePort);
        MqttClient during = device(devicePort, "it-th16");
        for (int i = 0; i < messages; i++) {
            publish(during, "tele/it_th16/SENSOR", tasmotaClimate(21.5, i));
        }
        during.disconnect();
        assertThat(status(twin(sensor))).isEqualTo("OFFLINE");
        assertThat(events.humidities()).as("nothing applied while the binding is away").containsOnly(99.5);
        mosquitto.stop();

        // the binding's listener is back: the session resumes and the queued messages arrive
        mosquitto.start(bindingPort, devicePort);
        Set<Double> published = IntStream.range(0, messages).mapToObj(i -> (double) i).collect(Collectors.toCollection(TreeSet::new));
        await("ONLINE again with all " + messages + " messages applied").untilAsserted(() -> {
            assertThat(status(twin(sensor))).isEqualTo("ONLINE");
            assertThat(new TreeSet<>(events.humidities())).containsAll(published);
        });
        List<Double> applied = events.humidities();
        assertThat(applied.subList(applied.indexOf(0.0), applied.size())).as("applied in the order published")
                .containsSubsequence(published.toArray(new Double[0]));
        assertThat(number(twin(sensor), "/features/humidity/properties/value")).isEqualTo(messages - 1.0);
    }

    /** Zero setup: the embedded broker on a free port, the binding's shipped 'local' connection, a device. */
    @Test
    public void aDeviceOnTheEmbeddedBrokerBecomesATwinThroughTheShippedLocalConnection() throws Exception {
        executeCommand("feature:install " + EMBEDDED_BROKER);
        assertThat(bundle(EMBEDDED_BROKER)).as(EMBEDDED_BROKER + " bundle").isNotNull()
                .satisfies(b -> assertThat(b.getState()).isEqualTo(Bundle.ACTIVE));
        int port = Integer.parseInt(String.valueOf(configurationAdmin.getConfiguration("io.rosetta.broker", null).getProperties().get("port")));
        await("the embedded broker listens on " + port).until(() -> accepts(port));

        // the broker may still be taking up its configuration right after the install and close a first connection
        // (seen as an EOF at CONNECT): a device reconnects, as devices do
        MqttClient device = await("a device connected to the embedded broker").ignoreExceptions()
                .until(() -> device(port, "it-embedded"), MqttClient::isConnected);
        String sensor = "mqtt:tasmota-it_embedded";
        await("the twin of a device on the embedded broker").ignoreExceptions().untilAsserted(() -> {
            if (!device.isConnected()) {
                device.reconnect();
            }
            publish(device, "tele/it_embedded/SENSOR", tasmotaClimate(21.5, 40.0));
            JsonObject twin = twin(sensor);
            assertThat(status(twin)).isEqualTo("ONLINE");
            assertThat(number(twin, "/features/temperature/properties/value")).isEqualTo(21.5);
            assertThat(number(twin, "/features/humidity/properties/value")).isEqualTo(40.0);
        });
        assertThat(text(twin(sensor), "/definition")).isEqualTo("rosetta:temperature-humidity-sensor:1.0.0");
    }

    /**
     * Uninstalling the binding leaves its twins OFFLINE with their state; what a device publishes meanwhile waits in the
     * binding's broker session; reinstalling brings the twins back ONLINE and delivers it.
     */
    @Test
    public void uninstallingTheBindingKeepsItsTwinsOfflineAndReinstallingBringsThemBack() throws Exception {
        Mosquitto mosquitto = mosquitto(false);
        int port = freePort();
        mosquitto.start(port);
        org.osgi.service.cm.Configuration connection = brokerConnection("reinstall", port);
        String relay = NAMESPACE + ":tasmota-it_relay";

        MqttClient device = device(port, "it-relay");
        await("a Tasmota relay's twin, ONLINE").untilAsserted(() -> {
            publish(device, "tele/it_relay/STATE", TASMOTA_STATE_ON);
            publish(device, "tele/it_relay/SENSOR", tasmotaEnergy(514.153));
            JsonObject twin = twin(relay);
            assertThat(status(twin)).isEqualTo("ONLINE");
            assertThat(number(twin, "/features/energy/properties/energy")).isEqualTo(514.153);
            assertThat(value(twin, "/features/switch/properties/on")).isEqualTo(JsonBoolean.TRUE);
        });

        executeCommand("feature:uninstall " + MQTT_BINDING);
        assertThat(bundle(MQTT_BINDING)).as("uninstalled bundle").isNull();
        JsonObject kept = await("the twin OFFLINE, kept").until(() -> twin(relay), t -> "OFFLINE".equals(status(t)));
        assertThat(text(kept, "/_connectivity/detail")).isEqualTo("BINDING_MISSING");
        assertThat(text(kept, "/definition")).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(number(kept, "/features/energy/properties/energy")).isEqualTo(514.153);
        assertThat(value(kept, "/features/switch/properties/on")).isEqualTo(JsonBoolean.TRUE);
        assertThat(configurationAdmin.listConfigurations("(service.pid=" + connection.getPid() + ")"))
                .as("the broker connection's configuration stays").hasSize(1);

        // the device keeps publishing; the broker queues it for the binding's persistent session
        publish(device, "tele/it_relay/SENSOR", tasmotaEnergy(515.5));

        executeCommand("feature:install " + MQTT_BINDING);
        assertThat(bundle(MQTT_BINDING)).as(MQTT_BINDING + " bundle").isNotNull()
                .satisfies(b -> assertThat(b.getState()).isEqualTo(Bundle.ACTIVE));
        await("the twin ONLINE again, with what the device published meanwhile").untilAsserted(() -> {
            JsonObject twin = twin(relay);
            assertThat(status(twin)).isEqualTo("ONLINE");
            assertThat(number(twin, "/features/energy/properties/energy")).isEqualTo(515.5);
        });
    }

    // ---- the binding, the broker connections, the devices ----

    private void installBinding() throws Exception {
        executeCommand("feature:install " + MQTT_BINDING);
        assertThat(bundle(MQTT_BINDING)).as(MQTT_BINDING + " bundle after feature:install").isNotNull()
                .satisfies(b -> assertThat(b.getState()).isEqualTo(Bundle.ACTIVE));
    }

    /** A broker connection as an administrator adds one: a factory configuration of {@value #BROKER_PID}. */
    private org.osgi.service.cm.Configuration brokerConnection(String name, int port, String... more) throws IOException {
        org.osgi.service.cm.Configuration configuration = configurationAdmin.getFactoryConfiguration(BROKER_PID, name, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("name", name);
        properties.put("url", "tcp://127.0.0.1:" + port);
        properties.put("clientId", "rosetta-it-" + name);
        properties.put("cleanSession", "false");
        properties.put("qos", "1");
        properties.put("keepAlive", "10s");
        properties.put("dialects", "zigbee2mqtt, tasmota, shelly");
        properties.put("autoApprove", "zigbee2mqtt, tasmota, shelly");
        properties.put("namespace", NAMESPACE);
        properties.put("connectTimeout", "2s");
        properties.put("reconnectInitialDelay", "100ms");
        properties.put("reconnectMaxDelay", "500ms");
        for (int i = 0; i + 1 < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        configuration.update(properties);
        connections.add(configuration);
        return configuration;
    }

    /** A device: a plain Paho client on 127.0.0.1:port. */
    private MqttClient device(int port, String clientId) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        options.setMaxInflight(1000);
        client.connect(options);
        clients.add(client);
        return client;
    }

    /** QoS 1; returns when the broker acknowledged. */
    private static void publish(MqttClient client, String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private static String tasmotaClimate(double celsius, double humidity) {
        return "{\"Time\":\"2024-05-04T10:15:32\",\"AM2301\":{\"Temperature\":" + celsius + ",\"Humidity\":" + humidity
                + ",\"DewPoint\":7.3},\"TempUnit\":\"C\"}";
    }

    private static String tasmotaEnergy(double totalKwh) {
        return "{\"Time\":\"2024-05-04T10:15:32\",\"ENERGY\":{\"TotalStartTime\":\"2024-01-10T12:00:00\",\"Total\":" + totalKwh
                + ",\"Yesterday\":1.204,\"Today\":0.532,\"Period\":0,\"Power\":56,\"ApparentPower\":60,\"ReactivePower\":21,"
                + "\"Factor\":0.93,\"Voltage\":234,\"Current\":0.392}}";
    }

    private Mosquitto mosquitto(boolean persistence) throws IOException {
        Mosquitto mosquitto = new Mosquitto(Files.createDirectories(work.resolve("mosquitto-" + mosquittos.size())), persistence);
        mosquittos.add(mosquitto);
        return mosquitto;
    }

    private TwinEvents events(ThingId thingId) {
        TwinEvents events = new TwinEvents(thingId);
        registry.subscribe(events);
        subscriptions.add(events);
        return events;
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElse(null);
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

    // ---- twins over the HTTP API ----

    /** The twin as GET /api/2/things/{id} shows it, with its connectivity; {@code null} while there is none. */
    private JsonObject twin(String thingId) throws Exception {
        HttpResponse<String> response = get("/api/2/things/" + thingId + "?fields=thingId,definition,features,_connectivity,_revision");
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as("GET %s: %s", thingId, response.body()).isEqualTo(200);
        return Json.parseObject(response.body());
    }

    private HttpResponse<String> patch(String path, String mergePatch) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/merge-patch+json")
                .timeout(Duration.ofSeconds(10))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonValue value(JsonObject json, String pointer) {
        return json == null ? null : json.getValue(JsonPointer.of(pointer)).orElse(null);
    }

    private static Double number(JsonObject json, String pointer) {
        return value(json, pointer) instanceof JsonNumber n ? n.doubleValue() : null;
    }

    private static String text(JsonObject json, String pointer) {
        return value(json, pointer) instanceof JsonString s ? s.value() : null;
    }

    private static String status(JsonObject twin) {
        return text(twin, "/_connectivity/status");
    }

    /** Twin events of one thing, as the registry publishes them. */
    static final class TwinEvents implements Flow.Subscriber<TwinEvent> {

        private final ThingId thingId;
        private final Queue<TwinEvent> events = new ConcurrentLinkedQueue<>();
        private volatile Flow.Subscription subscription;

        TwinEvents(ThingId thingId) {
            this.thingId = thingId;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(TwinEvent event) {
            if (thingId.equals(event.thingId())) {
                events.add(event);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // the registry stopped
        }

        @Override
        public void onComplete() {
            // the registry stopped
        }

        /** The humidity each reported change of the humidity feature left in the twin, in the registry's order. */
        List<Double> humidities() {
            JsonPointer changed = JsonPointer.of("/features/humidity/properties/value");
            return events.stream()
                    .filter(e -> e.type() == TwinEvent.Type.MERGED && e.thing() != null && e.changedPaths().contains(changed))
                    .map(e -> e.thing().feature("humidity").map(Feature::properties).flatMap(p -> p.get("value")).orElse(null))
                    .filter(v -> v instanceof JsonNumber)
                    .map(v -> ((JsonNumber) v).doubleValue())
                    .collect(Collectors.toList());
        }

        /** Connectivity changes to a status, in order. */
        List<TwinEvent> connectivity(String status) {
            return events.stream()
                    .filter(e -> e.type() == TwinEvent.Type.CONNECTIVITY_CHANGED && e.thing() != null
                            && status.equals(e.thing().connectivity().status().name()))
                    .collect(Collectors.toList());
        }

        void close() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /**
     * A Mosquitto of the test's own: listeners on 127.0.0.1 at the given ports, anonymous clients, persistence (in its
     * folder) on or off. It can be stopped as an operator stops it (SIGTERM: it saves its sessions) and started again.
     */
    static final class Mosquitto implements AutoCloseable {

        private final Path dir;
        private final boolean persistence;
        private Process process;

        Mosquitto(Path dir, boolean persistence) throws IOException {
            this.dir = dir;
            this.persistence = persistence;
            Files.createDirectories(dir.resolve("data"));
        }

        void start(int... ports) throws IOException {
            List<String> conf = new ArrayList<>();
            for (int port : ports) {
                conf.add("listener " + port + " 127.0.0.1");
            }
            conf.add("allow_anonymous true");
            // started as root, Mosquitto would switch to the user 'mosquitto', who cannot write the test's folder
            conf.add("user " + System.getProperty("user.name"));
            conf.add("persistence " + persistence);
            if (persistence) {
                conf.add("persistence_location " + dir.resolve("data") + "/");
            }
            conf.add("max_queued_messages 10000");
            conf.add("log_dest file " + dir.resolve("mosquitto.log"));
            conf.add("log_type error");
            conf.add("log_type warning");
            conf.add("log_type notice");
            conf.add("log_type information");
            Path file = dir.resolve("mosquitto.conf");
            Files.write(file, conf, StandardCharsets.UTF_8);
            Process started = new ProcessBuilder(MOSQUITTO.toString(), "-c", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
            process = started;
            Awaitility.await("Mosquitto listens on " + Arrays.toString(ports)).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("Mosquitto exited: " + log(), () -> !started.isAlive())
                    .until(() -> Arrays.stream(ports).allMatch(MqttBindingIT::accepts));
        }

        /** SIGTERM, as an operator stops it: with persistence, it saves its sessions and queued messages. */
        void stop() {
            Process p = process;
            process = null;
            if (p == null) {
                return;
            }
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private String log() {
            try {
                Path log = dir.resolve("stdout.log");
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
