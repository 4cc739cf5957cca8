package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.binding.BindingStats;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.RegistryStats;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rosetta:status over a real registry, a real device manager with a binding that reports through the core's callback, and
 * the real device registry.
 */
class StatusCommandTest {

    private static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final ModelRegistry MODELS = ClassPathModels.registry(StatusCommandTest.class.getClassLoader());

    @TempDir
    Path dir;
    private final TwinRegistryImpl twins = TwinRegistryImpl.inMemory();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private DeviceManagerImpl manager;
    private DeviceRegistryImpl devices;
    /** The callbacks the core gave the "sim" binding's handlers, by thing id. */
    private final Map<String, DeviceCallback> callbacks = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        manager = new DeviceManagerImpl(twins, scheduler, new DeviceManagerImpl.Config() {
            @Override
            public int deviceQueueCapacity() {
                return 16;
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
        manager.addFactory(new DeviceHandlerFactory() {
            @Override
            public String bindingId() {
                return "sim";
            }

            @Override
            public DeviceHandler createHandler(Device device, DeviceCallback callback) {
                return new DeviceHandler() {
                    @Override
                    public void initialize() {
                        callback.updateStatus(ConnectivityStatus.ONLINE);
                        callbacks.put(device.thingId().toString(), callback);
                    }

                    @Override
                    public void dispose() {
                        callbacks.remove(device.thingId().toString());
                    }
                };
            }
        });
        manager.attach(new Device(ThingId.of("plant:sim-1"), "sim", null, JsonObject.empty()));
        manager.attach(new Device(ThingId.of("plant:sim-2"), "sim", null, JsonObject.empty()));
        manager.attach(new Device(ThingId.of("plant:lora-1"), "lora", null, JsonObject.empty())); // no such binding: BINDING_MISSING
        twins.create(Thing.newBuilder(ThingId.of("demo:loose")).build());
        twins.updateLifecycle(ThingId.of("demo:loose"), LifecycleState.SUSPENDED);
        await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.size() == 2
                && twins.retrieve(ThingId.of("plant:sim-2")).orElseThrow().connectivity().isOnline()
                && twins.retrieve(ThingId.of("plant:sim-1")).orElseThrow().connectivity().isOnline());

        devices = DeviceRegistryImpl.open(twins, MODELS, new ModelTwinTemplates(MODELS), dir.resolve("devices"),
                Map.of("kdf.memory.kib", "256", "kdf.iterations", "1"));
        devices.provision(DeviceSpec.newBuilder("th-1").model(SENSOR).binding("sim").build(), "test", null);
        devices.provision(DeviceSpec.newBuilder("th-2").model(SENSOR).binding("coap").build(), "test", null);
        devices.provision(DeviceSpec.newBuilder("th-3").model(SENSOR).build(), "test", null);
        devices.transition("th-2", LifecycleState.SUSPENDED, "test", "stolen");
        devices.transition("th-3", LifecycleState.DECOMMISSIONED, "test", null);

        DeviceCallback sim1 = callbacks.get("plant:sim-1");
        assertThat(sim1.reportProperties("env", JsonObject.of("t", JsonValue.of(21)))).isTrue();
        assertThat(sim1.reportProperties("", JsonObject.of("t", JsonValue.of(22)))).isFalse();          // refused: invalid.argument
        assertThat(devices.authenticateMqtt("nobody", "password".getBytes(StandardCharsets.UTF_8)).accepted()).isFalse();
        assertThatThrownBy(() -> devices.transition("nobody", LifecycleState.ACTIVE, "test", null)).isNotNull();
    }

    @AfterEach
    void tearDown() {
        devices.close();
        twins.close();
        scheduler.shutdownNow();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private StatusCommand status(String window) {
        StatusCommand c = new StatusCommand();
        c.registry = twins;
        c.bindings = manager;
        c.devices = devices;
        c.out = out;
        c.window = window;
        return c;
    }

    private static long number(JsonObject o, String pointer) {
        JsonValue v = o.getValue(JsonPointer.of(pointer)).orElseThrow(() -> new AssertionError("no " + pointer + " in " + o));
        return ((JsonNumber) v).longValue();
    }

    private static double decimal(JsonObject o, String pointer) {
        JsonValue v = o.getValue(JsonPointer.of(pointer)).orElseThrow(() -> new AssertionError("no " + pointer + " in " + o));
        return ((JsonNumber) v).doubleValue();
    }

    private static JsonObject binding(JsonObject report, String id) {
        JsonArray rows = report.getOrNull("bindings").asArray();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).asObject().getOrNull("bindingId").equals(JsonValue.of(id))) {
                return rows.get(i).asObject();
            }
        }
        throw new AssertionError("no binding " + id + " in " + report);
    }

    @Test
    void jsonCountsTwinsByStatusLifecycleAndBindingAndTheRejects() throws Exception {
        StatusCommand c = status("0");
        c.json = true;
        c.execute();

        JsonObject r = Json.parseObject(output());
        // plant:sim-1, sim-2, lora-1, demo:loose, device:th-1, th-2, th-3
        assertThat(number(r, "/twins/total")).isEqualTo(7);
        assertThat(r.getValue(JsonPointer.of("/twins/byStatus")).orElseThrow())
                .isEqualTo(Json.parse("{\"ONLINE\":2,\"OFFLINE/BINDING_MISSING\":1,\"UNKNOWN\":4}"));
        assertThat(r.getValue(JsonPointer.of("/twins/byLifecycle")).orElseThrow())
                .isEqualTo(Json.parse("{\"PROVISIONED\":1,\"ACTIVE\":3,\"SUSPENDED\":2,\"DECOMMISSIONED\":1}"));
        assertThat(r.getValue(JsonPointer.of("/twins/byBinding")).orElseThrow())
                .isEqualTo(Json.parse("{\"coap\":0,\"lora\":1,\"sim\":2,\"(none)\":4}"));

        assertThat(number(r, "/devices/total")).isEqualTo(3);
        assertThat(r.getValue(JsonPointer.of("/devices/byState")).orElseThrow())
                .isEqualTo(Json.parse("{\"PROVISIONED\":1,\"ACTIVE\":0,\"SUSPENDED\":1,\"DECOMMISSIONED\":1}"));
        assertThat(r.getValue(JsonPointer.of("/devices/byBinding")).orElseThrow()).isEqualTo(Json.parse("{\"coap\":1,\"sim\":1}"));
        assertThat(number(r, "/devices/refused/devices:device.notfound")).isEqualTo(1);
        assertThat(number(r, "/devices/authRefused/mqtt:UNKNOWN")).isEqualTo(1);

        JsonObject sim = binding(r, "sim");
        assertThat(sim.getOrNull("available")).isEqualTo(JsonValue.of(true));
        assertThat(number(sim, "/twins")).isEqualTo(2);
        assertThat(number(sim, "/devices")).isEqualTo(1);
        assertThat(number(sim, "/reports")).isEqualTo(1);
        assertThat(number(sim, "/refused")).isEqualTo(1);
        assertThat(number(sim, "/refusedByReason/invalid.argument")).isEqualTo(1);
        assertThat(sim.contains("reportsPerSecond")).isFalse();
        assertThat(binding(r, "lora").getOrNull("available")).isEqualTo(JsonValue.of(false));
        assertThat(binding(r, "coap").contains("reports")).isFalse();

        assertThat(number(r, "/registry/eventsDropped")).isZero();
        assertThat(number(r, "/registry/subscribers")).isEqualTo(twins.stats().subscribers());
        assertThat(r.contains("rates")).isFalse();
    }

    @Test
    void ratesAreMeasuredFromTheCountersOverTheWindow() throws Exception {
        DeviceCallback sim2 = callbacks.get("plant:sim-2");
        AtomicBoolean stop = new AtomicBoolean();
        long reportsBefore = manager.bindingStats("sim").orElseThrow().reports();
        Thread device = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                sim2.reportProperties("env", JsonObject.of("t", JsonValue.of(i++)));
            }
        }, "sim-2-device");
        device.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> manager.bindingStats("sim").orElseThrow().reports() > reportsBefore + 10);
            StatusCommand c = status("300ms");
            c.json = true;
            c.execute();
        } finally {
            stop.set(true);
            device.join();
        }
        JsonObject r = Json.parseObject(output());
        assertThat(number(r, "/rates/windowMillis")).isBetween(300L, 10_000L);
        assertThat(decimal(r, "/rates/writesPerSecond")).isPositive();
        assertThat(decimal(r, "/rates/reportsPerSecond")).isPositive();
        assertThat(decimal(r, "/rates/eventsPublishedPerSecond")).isPositive(); // the device manager subscribes
        assertThat(decimal(binding(r, "sim"), "/reportsPerSecond")).isPositive();
        assertThat(decimal(binding(r, "sim"), "/refusedPerSecond")).isZero();
        assertThat(decimal(r, "/rates/refusedPerSecond")).isZero();
    }

    @Test
    void rateArithmeticIsTheCounterDifferenceOverTheElapsedTime() {
        StatusCommand.Counts counts = new StatusCommand.Counts(0, Map.of(), Map.of(), Map.of());
        StatusCommand.Sample first = new StatusCommand.Sample(0, new RegistryStats(0, 100, 0, 0, 50, 0, 1, 0, 0, 0),
                List.of(new BindingStats("sim", true, 1, 1, 10, 0, Map.of(), 0, 0, 0)), null);
        StatusCommand.Sample last = new StatusCommand.Sample(2_000_000_000L, new RegistryStats(0, 300, 4, 0, 250, 3, 1, 0, 0, 0),
                List.of(new BindingStats("sim", true, 1, 1, 210, 1, Map.of("x", 1L), 0, 0, 0),
                        new BindingStats("new", true, 1, 1, 5, 0, Map.of(), 0, 0, 0)), null);

        JsonObject r = StatusCommand.report(counts, first, last);

        assertThat(r.getOrNull("rates")).isEqualTo(Json.parse("{\"windowMillis\":2000,\"writesPerSecond\":100.0,"
                + "\"eventsPublishedPerSecond\":100.0,\"eventsDroppedPerSecond\":1.5,\"refusedPerSecond\":2.0,\"reportsPerSecond\":102.5}"));
        assertThat(decimal(binding(r, "sim"), "/reportsPerSecond")).isEqualTo(100.0);
        assertThat(decimal(binding(r, "sim"), "/refusedPerSecond")).isEqualTo(0.5);
        assertThat(decimal(binding(r, "new"), "/reportsPerSecond")).isEqualTo(2.5); // a binding that came during the window
        assertThat(r.contains("devices")).isFalse();
    }

    @Test
    void tablesForPeople() throws Exception {
        status("0").execute();

        String text = output();
        assertThat(text).startsWith("Twins: 7");
        assertThat(text).contains("OFFLINE/BINDING_MISSING", "DECOMMISSIONED", "Refused by reason", "invalid.argument=1");
        List<String> lines = text.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("sim ").contains("installed"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("lora ").contains("missing"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("coap ").contains("no twin attached"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("(none) "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("SUSPENDED ").matches("SUSPENDED +\\| +2 \\| +1"));
        assertThat(text).contains("Refused since start: twin writes 0 (model violations 0), binding reports 1, device registry 1 "
                + "(devices:device.notfound=1), authentications 1 (mqtt:UNKNOWN=1) of 1.");
        assertThat(text).contains("Events dropped since start: 0").doesNotContain("Rates over");

        bytes.reset();
        status("200ms").execute();
        assertThat(output()).containsPattern("Rates over 0\\.\\d\\d s: [0-9.]+ twin writes/s");
    }

    @Test
    void withoutBindingsOrDeviceRegistryTheTwinsAreStillCounted() throws Exception {
        StatusCommand c = status("0");
        c.bindings = null;
        c.devices = null;
        c.json = true;
        c.execute();
        JsonObject r = Json.parseObject(output());
        assertThat(number(r, "/twins/total")).isEqualTo(7);
        assertThat(r.getValue(JsonPointer.of("/twins/byBinding")).orElseThrow()).isEqualTo(Json.parse("{\"(none)\":7}"));
        assertThat(r.contains("devices")).isFalse();
        assertThat(r.getOrNull("bindings").asArray().size()).isZero();

        bytes.reset();
        c.json = false;
        c.execute();
        assertThat(output()).contains("Twins: 7", "Lifecycle      | Twins\n", "(none)  |       |     7 |").doesNotContain("Devices");
    }

    @Test
    void aBadWindowIsOneLineAndAFailure() throws CommandException {
        for (String w : List.of("soon", "-1s", "61s", "1h", "")) {
            StatusCommand c = status(w);
            assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                    .hasMessage("Invalid --window '" + w + "': a duration such as 1s or 500ms, at most 60s; 0 for no rates.");
        }
        assertThat(output()).isEmpty();
        assertThat(StatusCommand.windowMillis("500ms")).isEqualTo(500);
        assertThat(StatusCommand.windowMillis("2s")).isEqualTo(2000);
        assertThat(StatusCommand.windowMillis("3")).isEqualTo(3000);
        assertThat(StatusCommand.windowMillis("0")).isZero();
    }
}
