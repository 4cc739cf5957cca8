package io.rosetta.dynsec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.internal.binding.ConnectionSupervisorImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push against a real Mosquitto 2 with its dynamic security plugin, started on a free port by the test: devices
 * provisioned in a real registry connect with their credentials, a wrong password is refused, a suspended device is
 * kicked and refused until resumed, a decommissioned one for good; drift in Mosquitto is repaired by a resync, and
 * changes made while Mosquitto is down arrive when it is back.
 */
class MosquittoDynsecTest {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    static final ModelRegistry MODELS = ClassPathModels.registry(MosquittoDynsecTest.class.getClassLoader());
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private DynsecMosquitto mosquitto;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
        Thread t = new Thread(r, "test-scheduler");
        t.setDaemon(true);
        return t;
    });
    private TwinRegistryImpl twins;
    private DeviceRegistryImpl registry;
    private DynsecSync sync;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(DynsecMosquitto.available(), "Mosquitto 2 with its dynamic security plugin (Debian package mosquitto)");
        mosquitto = new DynsecMosquitto(dir);
        mosquitto.start();
        twins = TwinRegistryImpl.inMemory();
        registry = DeviceRegistryImpl.open(twins, MODELS, new ModelTwinTemplates(MODELS), dir.resolve("devices"),
                Map.of("kdf.memory.kib", "1024", "kdf.iterations", "1"));
        sync = new DynsecSync(registry, supervisor(), scheduler, new DynsecSettings(true, mosquitto.url(), "rosetta-dynsec-test",
                DynsecMosquitto.ADMIN, DynsecMosquitto.ADMIN_PASSWORD, "rosetta-device-", DeviceTopics.from(Map.of()), 50, 500, 10_000,
                Duration.ofSeconds(5), true, Duration.ofSeconds(30), Duration.ofSeconds(5)));
        registry.addListener(sync);
        await().atMost(WAIT).until(() -> sync.status().lastResync() != null);
    }

    @AfterEach
    void tearDown() throws Exception {
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
        if (sync != null) {
            sync.close();
        }
        if (registry != null) {
            registry.close();
            twins.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void provision(String id, String password) {
        registry.provision(DeviceSpec.newBuilder(id).model(SENSOR).binding("mqtt").mqtt(id, password).build(), "test", null);
    }

    @Test
    void aDeviceConnectsWithItsCredentialsWhileProvisionedOrActiveOnly() throws Exception {
        provision("th16", "th16-password");
        MqttClient device = await().atMost(WAIT).ignoreExceptions().until(() -> connect("th16", "th16", "th16-password"), c -> c != null);

        // its own topics reach a subscriber; another device's are dropped by Mosquitto
        List<String> seen = new CopyOnWriteArrayList<>();
        try (AdminClient admin = new AdminClient(mosquitto.url())) {
            MqttClient watcher = new MqttClient(mosquitto.url(), "watcher", new MemoryPersistence());
            clients.add(watcher);
            watcher.connect(options(DynsecMosquitto.ADMIN, DynsecMosquitto.ADMIN_PASSWORD));
            watcher.subscribe("tele/#", 1, (topic, message) -> seen.add(topic));
            device.publish("tele/th17/SENSOR", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
            device.publish("tele/th16/SENSOR", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
            await().atMost(WAIT).until(() -> seen.contains("tele/th16/SENSOR"));
            assertThat(seen).containsExactly("tele/th16/SENSOR");
            assertThat(admin.send(DynsecCommands.listClients()).toString()).contains("\"username\":\"th16\"").contains("rosetta-device-th16");
        }

        assertRefused("th16-wrong", "th16", "wrong-password");

        AtomicReference<Throwable> lost = new AtomicReference<>();
        device.setCallback(lostInto(lost));
        registry.transition("th16", LifecycleState.SUSPENDED, "test", "maintenance");
        await().atMost(WAIT).until(() -> lost.get() != null);
        assertRefused("th16-suspended", "th16", "th16-password");

        registry.transition("th16", LifecycleState.ACTIVE, "test", "back");
        await().atMost(WAIT).ignoreExceptions().until(() -> connect("th16-resumed", "th16", "th16-password"), c -> c != null);

        registry.transition("th16", LifecycleState.DECOMMISSIONED, "test", "scrapped");
        await().atMost(WAIT).until(() -> sync.status().succeeded().getOrDefault("deleteRole", 0L) >= 1);
        assertRefused("th16-decommissioned", "th16", "th16-password");
        try (AdminClient admin = new AdminClient(mosquitto.url())) {
            assertThat(admin.send(DynsecCommands.listClients()).toString()).doesNotContain("th16");
            assertThat(admin.send(DynsecCommands.listRoles()).toString()).doesNotContain("rosetta-device-th16");
        }
        assertThat(sync.status().failed()).isEmpty();
        assertThat(sync.status().timeouts()).isZero();
    }

    @Test
    void aNewPasswordReplacesTheOldOne() throws Exception {
        provision("th16", "th16-password");
        await().atMost(WAIT).ignoreExceptions().until(() -> connect("th16", "th16", "th16-password"), c -> c != null);
        registry.updateCredentials("th16", CredentialsUpdate.newBuilder().mqtt(null, "th16-new-password").build(), "test", "rotation");
        await().atMost(WAIT).ignoreExceptions().until(() -> connect("th16-new", "th16", "th16-new-password"), c -> c != null);
        assertRefused("th16-old", "th16", "th16-password");
    }

    @Test
    void aPasswordGivenAsAHashCannotReachMosquittoAndIsReported() throws Exception {
        registry.provision(DeviceSpec.newBuilder("h1").model(SENSOR).mqtt("h1", null).mqttPasswordHash(DynsecPlanTest.HASH).build(), "test", null);
        await().atMost(WAIT).until(() -> sync.status().succeeded().getOrDefault("createRole", 0L) >= 1);
        assertThat(sync.status().passwordUnknown()).isEqualTo(1);
        DynsecSync.ResyncReport r = sync.resync().get(20, TimeUnit.SECONDS);
        assertThat(r.missingClients()).containsExactly("h1");
        assertRefused("h1", "h1", "service-secret-1");
    }

    @Test
    void aResyncRepairsDriftAndChangesMadeWhileMosquittoIsDownArriveAfterwards() throws Exception {
        provision("a1", "a1-password");
        provision("b1", "b1-password");
        await().atMost(WAIT).ignoreExceptions().until(() -> connect("a1", "a1", "a1-password"), c -> c != null);
        registry.transition("b1", LifecycleState.SUSPENDED, "test", null);
        await().atMost(WAIT).until(() -> sync.status().succeeded().getOrDefault("disableClient", 0L) >= 1);

        try (AdminClient admin = new AdminClient(mosquitto.url())) {
            // another administrator enables the suspended device, widens a1's role, and leaves a client of a device Rosetta does not have
            assertThat(admin.send(DynsecCommands.enableClient("b1")).getOrNull("error")).isNull();
            assertThat(admin.send(DynsecCommands.modifyRole("rosetta-device-a1", List.of("#"))).getOrNull("error")).isNull();
            assertThat(admin.send(DynsecCommands.createRole("rosetta-device-ghost", "ghost", List.of("#"))).getOrNull("error")).isNull();
            assertThat(admin.send(DynsecCommands.createClient("ghost", "ghost-password", "ghost", "", "rosetta-device-ghost"))
                    .getOrNull("error")).isNull();
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> connect("b1-drift", "b1", "b1-password"), c -> c != null);

        DynsecSync.ResyncReport r = sync.resync().get(20, TimeUnit.SECONDS);
        assertThat(r.error()).isNull();
        assertThat(r.failed()).isZero();
        assertThat(r.clientsDisabled()).isEqualTo(1);
        assertThat(r.rolesUpdated()).isEqualTo(1);
        assertThat(r.clientsDeleted()).isEqualTo(1);
        assertThat(r.rolesDeleted()).isEqualTo(1);
        assertThat(r.missingClients()).isEmpty();
        assertRefused("b1-again", "b1", "b1-password");
        assertRefused("ghost", "ghost", "ghost-password");

        // Mosquitto goes down; a suspension meanwhile waits in the queue and is applied when it is back
        mosquitto.stop();
        await().atMost(WAIT).until(() -> sync.state() == DynsecSync.State.DOWN);
        registry.transition("a1", LifecycleState.SUSPENDED, "test", "while Mosquitto was down");
        assertThat(sync.status().queued()).isGreaterThanOrEqualTo(1);
        mosquitto.start();
        await().atMost(WAIT).until(() -> sync.state() == DynsecSync.State.CONNECTED && sync.status().queued() == 0
                && sync.status().inflight() == 0);
        assertRefused("a1-after-restart", "a1", "a1-password");
        assertThat(sync.status().failed()).isEmpty();
    }

    private MqttClient connect(String clientId, String username, String password) throws MqttException {
        MqttClient c = new MqttClient(mosquitto.url(), clientId, new MemoryPersistence());
        clients.add(c);
        c.connect(options(username, password));
        return c;
    }

    private void assertRefused(String clientId, String username, String password) throws MqttException {
        MqttClient c = new MqttClient(mosquitto.url(), clientId, new MemoryPersistence());
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
        o.setUserName(username);
        o.setPassword(password.toCharArray());
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

    private ConnectionSupervisorImpl supervisor() {
        return new ConnectionSupervisorImpl(scheduler, new ConnectionSupervisorImpl.Config() {
            @Override
            public long initialDelayMillis() {
                return 100;
            }

            @Override
            public long maxDelayMillis() {
                return 1000;
            }

            @Override
            public double multiplier() {
                return 2.0;
            }

            @Override
            public long connectTimeoutMillis() {
                return 5000;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ConnectionSupervisorImpl.Config.class;
            }
        });
    }

}
