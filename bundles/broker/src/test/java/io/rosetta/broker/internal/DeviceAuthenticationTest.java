package io.rosetta.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.broker.BrokerStatistics.ConnectRefusal;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with devices authenticated against a real device registry (on real twins and the shipped
 * models), talked to by Paho clients over TCP: credentials, lifecycle, topics, the service account, revocation.
 */
class DeviceAuthenticationTest {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    static final ModelRegistry MODELS = ClassPathModels.registry(DeviceAuthenticationTest.class.getClassLoader());
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private TwinRegistryImpl twins;
    private DeviceRegistryImpl registry;
    private RegistryAuthority authority;
    private EmbeddedBroker broker;
    private int port;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        twins = TwinRegistryImpl.inMemory();
        registry = DeviceRegistryImpl.open(twins, MODELS, new ModelTwinTemplates(MODELS), dir.resolve("devices"),
                Map.of("kdf.memory.kib", "1024", "kdf.iterations", "1"));
        port = freePort();
    }

    private void start(TestConfig config) {
        EmbeddedBrokerSettings settings = EmbeddedBroker.settings(config, Map.of());
        broker = new EmbeddedBroker(settings, true);
        assertThat(broker.state()).isEqualTo(EmbeddedBroker.State.RUNNING);
        authority = new RegistryAuthority(registry, settings.topics());
        registry.addListener(authority);
        broker.bindAuthority(authority);
    }

    @AfterEach
    void tearDown() {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
                c.close(true);
            } catch (MqttException e) {
                // gone with the broker
            }
        }
        if (broker != null) {
            broker.close();
        }
        registry.close();
        twins.close();
    }

    private void provision(String id, String password, JsonObject configuration) {
        registry.provision(DeviceSpec.newBuilder(id).model(SENSOR).binding("mqtt").mqtt(id, password).configuration(configuration).build(),
                "test", null);
    }

    @Test
    void aProvisionedDeviceConnectsWithItsCredentialsAndNoOneElseDoes() throws Exception {
        start(new TestConfig(port).service("rosetta", ServiceAccountTest.HASH));
        provision("th16", "th16-password", null);

        MqttClient device = connect("th16-client", "th16", "th16-password");
        assertThat(device.isConnected()).isTrue();
        assertThat(registry.device("th16").orElseThrow().state()).as("the broker does not mark contact; the binding does")
                .isEqualTo(LifecycleState.PROVISIONED);

        assertRefused("x1", "th16", "wrong-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertRefused("x2", "nobody", "whatever-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertRefused("x3", "th16", null, MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertRefused("x4", null, null, MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertRefused("x5", "rosetta", "not-the-service-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        MqttClient service = connect("rosetta-local", "rosetta", ServiceAccountTest.PASSWORD);
        assertThat(service.isConnected()).isTrue();

        assertThat(broker.refused(ConnectRefusal.BAD_CREDENTIALS)).isEqualTo(1);
        assertThat(broker.refused(ConnectRefusal.UNKNOWN)).isEqualTo(1);
        assertThat(broker.refused(ConnectRefusal.SERVICE_ACCOUNT)).isEqualTo(1);
        assertThat(broker.acceptedDevices()).isEqualTo(1);
        assertThat(broker.acceptedService()).isEqualTo(1);
        assertThat(broker.authenticatesDevices()).isTrue();
        assertThat(broker.anonymousAllowed()).isFalse();
        // a username without a password is refused by Moquette itself, before the registry is asked (not counted)
        assertThat(broker.refused()).containsEntry(ConnectRefusal.NOT_ALLOWED, 0L).hasSize(ConnectRefusal.values().length);
    }

    @Test
    void aDeviceUsesOnlyItsOwnTopicsAndTheServiceAccountAll() throws Exception {
        start(new TestConfig(port).service("rosetta", ServiceAccountTest.HASH));
        provision("th16", "th16-password", null);
        provision("th17", "th17-password", null);
        // a gateway with its own list in the registry
        provision("z2m", "bridge-password", JsonObject.newBuilder().set("mqttTopics", JsonArray.ofStrings(List.of("zigbee2mqtt/#"))).build());

        List<String> seen = new CopyOnWriteArrayList<>();
        MqttClient service = connect("rosetta-local", "rosetta", ServiceAccountTest.PASSWORD);
        service.subscribe("#", 1, (topic, message) -> seen.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

        MqttClient th16 = connect("th16", "th16", "th16-password");
        th16.publish("tele/th16/SENSOR", bytes("own"), 1, false);
        MqttClient bridge = connect("z2m", "z2m", "bridge-password");
        bridge.publish("zigbee2mqtt/kitchen", bytes("bridge"), 1, false);
        service.publish("cmnd/th16/POWER", bytes("ON"), 1, false);
        await().atMost(WAIT).until(() -> seen.size() >= 3);
        assertThat(seen).containsExactlyInAnyOrder("tele/th16/SENSOR own", "zigbee2mqtt/kitchen bridge", "cmnd/th16/POWER ON");

        // outside its topics, at any QoS: not delivered, and the device is disconnected
        assertDisconnectedFor("th16-x", "th16", "th16-password", "tele/th17/SENSOR", 1);
        assertDisconnectedFor("th16-y", "th16", "th16-password", "zigbee2mqtt/kitchen", 0);
        assertDisconnectedFor("z2m-x", "z2m", "bridge-password", "tele/z2m/SENSOR", 1);
        assertThat(broker.deniedPublishes()).isEqualTo(3);
        assertThat(seen).hasSize(3);

        // subscriptions: its own commands yes, another device's or the whole tree no
        List<String> commands = new CopyOnWriteArrayList<>();
        th16.subscribe("cmnd/th16/#", 1, (topic, message) -> commands.add(topic));
        assertThatThrownBy(() -> th16.subscribe("cmnd/th17/#", 1)).isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> th16.subscribe("#", 1)).isInstanceOf(MqttException.class);
        service.publish("cmnd/th16/POWER", bytes("OFF"), 1, false);
        service.publish("cmnd/th17/POWER", bytes("OFF"), 1, false);
        await().atMost(WAIT).until(() -> commands.size() == 1);
        assertThat(commands).containsExactly("cmnd/th16/POWER");
        assertThat(broker.deniedSubscriptions()).isEqualTo(2);
    }

    @Test
    void suspensionClosesTheSessionAndRefusesReconnectsUntilResumedDecommissioningForGood() throws Exception {
        start(new TestConfig(port));
        provision("th16", "th16-password", null);
        AtomicReference<Throwable> lost = new AtomicReference<>();
        MqttClient device = connect("th16", "th16", "th16-password");
        device.setCallback(lostInto(lost));

        registry.transition("th16", LifecycleState.SUSPENDED, "test", "maintenance");
        await().atMost(WAIT).until(() -> lost.get() != null);
        assertThat(device.isConnected()).isFalse();
        assertThat(broker.revocationDisconnects()).isEqualTo(1);
        assertRefused("th16-again", "th16", "th16-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(broker.refused(ConnectRefusal.NOT_ALLOWED)).isEqualTo(1);

        registry.transition("th16", LifecycleState.ACTIVE, "test", "back");
        MqttClient resumed = connect("th16", "th16", "th16-password");
        assertThat(resumed.isConnected()).isTrue();
        resumed.publish("tele/th16/SENSOR", bytes("{}"), 1, false);

        AtomicReference<Throwable> lostAgain = new AtomicReference<>();
        resumed.setCallback(lostInto(lostAgain));
        registry.transition("th16", LifecycleState.DECOMMISSIONED, "test", "scrapped");
        await().atMost(WAIT).until(() -> lostAgain.get() != null);
        assertRefused("th16-after", "th16", "th16-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(broker.refused(ConnectRefusal.UNKNOWN)).as("decommissioning removed its credentials").isEqualTo(1);
        assertThat(broker.revocationDisconnects()).isEqualTo(2);
        assertThat(broker.deviceSessions()).isZero();
    }

    @Test
    void aNewPasswordClosesSessionsOfTheOldOne() throws Exception {
        start(new TestConfig(port));
        provision("th16", "th16-password", null);
        AtomicReference<Throwable> lost = new AtomicReference<>();
        MqttClient device = connect("th16", "th16", "th16-password");
        device.setCallback(lostInto(lost));

        registry.updateCredentials("th16", CredentialsUpdate.newBuilder().mqtt(null, "new-th16-password").build(), "test", "rotation");
        await().atMost(WAIT).until(() -> lost.get() != null);
        assertRefused("th16-old", "th16", "th16-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(connect("th16", "th16", "new-th16-password").isConnected()).isTrue();
    }

    @Test
    void withoutTheRegistrysServiceDevicesAreRefusedAndTheServiceAccountStillWorks() throws Exception {
        start(new TestConfig(port).service("rosetta", ServiceAccountTest.HASH));
        provision("th16", "th16-password", null);
        broker.unbindAuthority(authority);

        assertRefused("th16", "th16", "th16-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(broker.refused(ConnectRefusal.REGISTRY_UNAVAILABLE)).isEqualTo(1);
        assertThat(connect("rosetta-local", "rosetta", ServiceAccountTest.PASSWORD).isConnected()).isTrue();

        broker.bindAuthority(authority);
        assertThat(connect("th16", "th16", "th16-password").isConnected()).isTrue();
    }

    @Test
    void anonymousClientsOnlyWhenAllowedExplicitly() throws Exception {
        start(new TestConfig(port).anonymous("true"));
        provision("th16", "th16-password", null);
        MqttClient anonymous = connect("anon", null, null);
        List<String> seen = new CopyOnWriteArrayList<>();
        anonymous.subscribe("#", 0, (topic, message) -> seen.add(topic));
        MqttClient device = connect("th16", "th16", "th16-password");
        device.publish("tele/th16/SENSOR", bytes("{}"), 1, false);
        anonymous.publish("anything/at/all", bytes("x"), 1, false);
        await().atMost(WAIT).until(() -> seen.size() == 2);
        // devices are still checked
        assertRefused("th16-bad", "th16", "wrong-password", MqttException.REASON_CODE_FAILED_AUTHENTICATION);
    }

    private void assertDisconnectedFor(String clientId, String username, String password, String topic, int qos) throws Exception {
        AtomicReference<Throwable> lost = new AtomicReference<>();
        MqttClient c = connect(clientId, username, password);
        c.setCallback(lostInto(lost));
        c.setTimeToWait(WAIT.toMillis());
        try {
            c.publish(topic, bytes("foreign"), qos, false);
        } catch (MqttException e) {
            // QoS 1: the connection closes before the (never sent) acknowledgement
        }
        await().atMost(WAIT).until(() -> lost.get() != null);
        assertThat(c.isConnected()).isFalse();
    }

    private MqttClient connect(String clientId, String username, String password) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(c);
        c.connect(options(username, password));
        return c;
    }

    private void assertRefused(String clientId, String username, String password, int reason) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(c);
        assertThatThrownBy(() -> c.connect(options(username, password)))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isIn(reason, (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
        if (reason == MqttException.REASON_CODE_FAILED_AUTHENTICATION) {
            assertThat(c.isConnected()).isFalse();
        }
    }

    private static MqttConnectOptions options(String username, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        o.setAutomaticReconnect(false);
        // Paho's default tries 3.1.1 and then 3.1 again after a refusal
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
