package io.rosetta.core.internal.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import io.rosetta.core.inbox.Discovery;
import io.rosetta.core.inbox.Inbox.Decision;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.inbox.InboxEntry.Status;
import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's lifecycle against the real registry and device manager: pending, approved, rejected, removed, restarted. */
class InboxImplTest {

    private static final String MODEL = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final ThingId SENSOR = ThingId.of("mqtt:z2m-office");

    @TempDir
    Path dir;

    private TwinRegistryImpl registry;
    private ScheduledThreadPoolExecutor scheduler;
    private DeviceManagerImpl devices;
    private final Map<ThingId, DeviceCallback> handlers = new ConcurrentHashMap<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private final DeviceHandlerFactory factory = new DeviceHandlerFactory() {
        @Override
        public String bindingId() {
            return "mqtt";
        }

        @Override
        public DeviceHandler createHandler(Device device, DeviceCallback callback) {
            return new DeviceHandler() {
                @Override
                public void initialize() {
                    handlers.put(device.thingId(), callback);
                    callback.updateStatus(ConnectivityStatus.ONLINE);
                }

                @Override
                public void handleDesiredProperties(String featureId, JsonObject desiredProperties) {
                }

                @Override
                public void dispose() {
                    handlers.remove(device.thingId());
                }
            };
        }
    };

    @BeforeEach
    void setUp() {
        registry = TwinRegistryImpl.inMemory();
        scheduler = new ScheduledThreadPoolExecutor(2);
        devices = new DeviceManagerImpl(registry, scheduler, new DeviceManagerImpl.Config() {
            @Override
            public int deviceQueueCapacity() {
                return 64;
            }

            @Override
            public int logIntervalSeconds() {
                return 30;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return DeviceManagerImpl.Config.class;
            }
        });
        devices.addFactory(factory);
    }

    @AfterEach
    void tearDown() throws Exception {
        devices.removeFactory(factory);
        registry.close();
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private InboxImpl inbox(int maxEntries) {
        return new InboxImpl(devices, registry, null, dir.resolve("inbox.json"), clock, maxEntries, 100, 0);
    }

    private static Discovery discovery(ThingId id, boolean auto) {
        Device d = new Device(id, "mqtt", MODEL, JsonObject.of("broker", JsonValue.of("local"), "dialect", JsonValue.of("zigbee2mqtt")));
        return new Discovery(d, "zigbee2mqtt", "local", JsonObject.of("vendor", JsonValue.of("Xiaomi")), auto);
    }

    @Test
    void aDiscoveredDeviceWaitsUntilApprovedAndApprovalCreatesItsTwin() {
        InboxImpl inbox = inbox(100);

        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.HELD);
        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.HELD);

        assertThat(registry.retrieve(SENSOR)).isEmpty();
        assertThat(devices.device(SENSOR)).isEmpty();
        InboxEntry pending = inbox.entry(SENSOR).orElseThrow();
        assertThat(pending.status()).isEqualTo(Status.PENDING);
        assertThat(pending.announcements()).isEqualTo(2);
        assertThat(pending.dialect()).isEqualTo("zigbee2mqtt");
        assertThat(pending.source()).isEqualTo("local");
        assertThat(pending.decidedBy()).isNull();

        InboxEntry approved = inbox.approve(SENSOR, "admin");

        assertThat(approved.status()).isEqualTo(Status.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("admin");
        assertThat(approved.decidedAt()).isEqualTo(clock.instant());
        Thing twin = registry.retrieve(SENSOR).orElseThrow();
        assertThat(twin.definition()).contains(MODEL);
        assertThat(twin.attributes()).contains(JsonObject.of("vendor", JsonValue.of("Xiaomi")));
        assertThat(devices.device(SENSOR)).isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> handlers.containsKey(SENSOR));
        // the device is served now: its next announcement attaches it (idempotent), without a new entry
        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.ATTACHED);
        assertThat(inbox.approve(SENSOR, "someone else").decidedBy()).isEqualTo("admin");
    }

    @Test
    void aRejectedDeviceIsSuppressedUntilTheRejectionIsRemoved() {
        InboxImpl inbox = inbox(100);
        inbox.discovered(discovery(SENSOR, false));

        InboxEntry rejected = inbox.reject(SENSOR, "ops");

        assertThat(rejected.status()).isEqualTo(Status.REJECTED);
        assertThat(rejected.decidedBy()).isEqualTo("ops");
        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.SUPPRESSED);
        // auto-approval does not override a rejection
        assertThat(inbox.discovered(discovery(SENSOR, true))).isEqualTo(Decision.SUPPRESSED);
        assertThat(registry.retrieve(SENSOR)).isEmpty();
        assertThat(inbox.entry(SENSOR).orElseThrow().announcements()).isEqualTo(3);

        assertThat(inbox.remove(SENSOR)).isTrue();
        assertThat(inbox.remove(SENSOR)).isFalse();

        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.HELD);
        assertThat(inbox.entry(SENSOR).orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void rejectingAnApprovedDeviceDetachesItAndKeepsItsTwin() {
        InboxImpl inbox = inbox(100);
        inbox.discovered(discovery(SENSOR, false));
        inbox.approve(SENSOR, "admin");

        inbox.reject(SENSOR, "admin");

        assertThat(devices.device(SENSOR)).isEmpty();
        Thing twin = registry.retrieve(SENSOR).orElseThrow();
        assertThat(twin.connectivity().detail()).isEqualTo(ConnectivityStatus.Detail.GONE);
        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.SUPPRESSED);

        // approving it again serves it again
        inbox.approve(SENSOR, "admin");
        assertThat(devices.device(SENSOR)).isPresent();
    }

    @Test
    void autoApprovalAttachesAtOnceAndRecordsIt() {
        InboxImpl inbox = inbox(100);

        assertThat(inbox.discovered(discovery(SENSOR, true))).isEqualTo(Decision.ATTACHED);

        assertThat(registry.retrieve(SENSOR)).isPresent();
        assertThat(devices.device(SENSOR)).isPresent();
        InboxEntry e = inbox.entry(SENSOR).orElseThrow();
        assertThat(e.status()).isEqualTo(Status.APPROVED);
        assertThat(e.decidedBy()).isEqualTo(InboxImpl.AUTO);
    }

    @Test
    void aDeviceWhoseTwinExistsIsAttachedWithoutAnEntry() {
        InboxImpl inbox = inbox(100);
        registry.create(Thing.newBuilder(SENSOR).definition(MODEL).build());

        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.ATTACHED);

        assertThat(devices.device(SENSOR)).isPresent();
        assertThat(inbox.entries()).isEmpty();
    }

    @Test
    void anApprovedDeviceWhoseTwinWasDeletedNeedsADecisionAgain() {
        InboxImpl inbox = inbox(100);
        inbox.discovered(discovery(SENSOR, false));
        inbox.approve(SENSOR, "admin");
        devices.detach(SENSOR);
        registry.delete(SENSOR, JsonPointer.empty(), Precondition.none());

        assertThat(inbox.discovered(discovery(SENSOR, false))).isEqualTo(Decision.HELD);

        InboxEntry e = inbox.entry(SENSOR).orElseThrow();
        assertThat(e.status()).isEqualTo(Status.PENDING);
        assertThat(e.decidedBy()).isNull();
    }

    @Test
    void unknownEntriesAre404AndADecommissionedTwinCannotBeApproved() {
        InboxImpl inbox = inbox(100);

        assertThatThrownBy(() -> inbox.approve(SENSOR, "admin")).isInstanceOfSatisfying(TwinException.class,
                e -> assertThat(e.errorCode()).isEqualTo("inbox:entry.notfound"));
        assertThatThrownBy(() -> inbox.reject(SENSOR, "admin")).isInstanceOfSatisfying(TwinException.class,
                e -> assertThat(e.status()).isEqualTo(404));

        inbox.discovered(discovery(SENSOR, false));
        registry.create(Thing.newBuilder(SENSOR).definition(MODEL).build());
        registry.updateLifecycle(SENSOR, LifecycleState.DECOMMISSIONED);
        assertThatThrownBy(() -> inbox.approve(SENSOR, "admin")).isInstanceOfSatisfying(TwinException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThat(inbox.entry(SENSOR).orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void aFullInboxRefusesNewDevicesButServesKnownOnes() {
        InboxImpl inbox = inbox(2);
        assertThat(inbox.discovered(discovery(ThingId.of("mqtt:a"), false))).isEqualTo(Decision.HELD);
        assertThat(inbox.discovered(discovery(ThingId.of("mqtt:b"), false))).isEqualTo(Decision.HELD);

        assertThat(inbox.discovered(discovery(ThingId.of("mqtt:c"), false))).isEqualTo(Decision.FULL);
        assertThat(inbox.discovered(discovery(ThingId.of("mqtt:a"), false))).isEqualTo(Decision.HELD);
        assertThat(inbox.entries()).extracting(e -> e.thingId().toString()).containsExactly("mqtt:a", "mqtt:b");

        inbox.approve(ThingId.of("mqtt:a"), "admin");
        assertThat(inbox.discovered(discovery(ThingId.of("mqtt:c"), false))).isEqualTo(Decision.HELD);
    }

    @Test
    void entriesAndDecisionsSurviveARestart() throws Exception {
        InboxImpl first = inbox(100);
        ThingId plug = ThingId.of("mqtt:z2m-plug");
        first.discovered(discovery(SENSOR, false));
        first.discovered(discovery(plug, false));
        first.reject(plug, "ops");
        first.deactivate();

        InboxImpl second = inbox(100);

        assertThat(second.entries()).hasSize(2);
        InboxEntry sensor = second.entry(SENSOR).orElseThrow();
        assertThat(sensor.status()).isEqualTo(Status.PENDING);
        assertThat(sensor.model()).isEqualTo(MODEL);
        assertThat(sensor.attributes()).isEqualTo(JsonObject.of("vendor", JsonValue.of("Xiaomi")));
        assertThat(sensor.device().configuration().getOrNull("dialect")).isEqualTo(JsonValue.of("zigbee2mqtt"));
        assertThat(second.entry(plug).orElseThrow().decidedBy()).isEqualTo("ops");
        assertThat(second.discovered(discovery(plug, true))).isEqualTo(Decision.SUPPRESSED);
        assertThat(second.approve(SENSOR, "admin").status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void discoveriesAreWrittenWithinTheFlushDelay() throws Exception {
        Path file = dir.resolve("grouped.json");
        InboxImpl inbox = new InboxImpl(devices, registry, scheduler, file, clock, 100, 100, 50);

        inbox.discovered(discovery(SENSOR, false));

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file)
                && Files.readString(file, StandardCharsets.UTF_8).contains("mqtt:z2m-office"));
    }

    @Test
    void anUnreadableFileIsKeptAsideAndTheInboxStartsEmpty() throws Exception {
        Path file = dir.resolve("inbox.json");
        Files.writeString(file, "{\"entries\":[{\"thingId\":", StandardCharsets.UTF_8);

        InboxImpl inbox = inbox(100);

        assertThat(inbox.entries()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("inbox.json.unreadable-"));
        }
        inbox.discovered(discovery(SENSOR, false));
        assertThat(inbox(100).entry(SENSOR)).isPresent();
    }

    @Test
    void entriesRoundTripThroughJson() {
        InboxEntry e = new InboxEntry(discovery(SENSOR, false).device(), Status.REJECTED, "zigbee2mqtt", "local",
                JsonObject.of("vendor", JsonValue.of("Xiaomi")), clock.instant(), clock.instant().plusSeconds(5), 7, "ops",
                clock.instant().plusSeconds(9));

        assertThat(InboxEntry.fromJson(e.toJson())).isEqualTo(e);
        assertThatThrownBy(() -> InboxEntry.fromJson(JsonObject.of("thingId", JsonValue.of("no id"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Status.parse("maybe")).hasMessageContaining("PENDING, APPROVED or REJECTED");
    }
}
