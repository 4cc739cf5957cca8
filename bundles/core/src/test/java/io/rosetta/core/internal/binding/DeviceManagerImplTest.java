package io.rosetta.core.internal.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.binding.BindingStats;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.binding.DeviceHandler;
import io.rosetta.core.binding.DeviceHandlerFactory;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ModelViolationException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.TwinEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceManagerImplTest {

    private static final String MODEL = "rosetta:smart-plug:1.0.0";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TwinRegistryImpl registry;
    private ScheduledThreadPoolExecutor scheduler;
    private DeviceManagerImpl manager;
    private final TestFactory factory = new TestFactory("test");

    /** Records what the core asks of its handlers. */
    static final class TestHandler implements DeviceHandler {
        final Device device;
        final DeviceCallback callback;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<JsonObject> desired = new CopyOnWriteArrayList<>();
        volatile RuntimeException failOnInitialize;

        TestHandler(Device device, DeviceCallback callback) {
            this.device = device;
            this.callback = callback;
        }

        @Override
        public void initialize() {
            calls.add("initialize");
            if (failOnInitialize != null) {
                throw failOnInitialize;
            }
            callback.updateStatus(ConnectivityStatus.ONLINE);
        }

        @Override
        public void handleDesiredProperties(String featureId, JsonObject desiredProperties) {
            calls.add("desired:" + featureId);
            desired.add(desiredProperties);
        }

        @Override
        public CompletionStage<JsonValue> handleCommand(String action, JsonValue input) {
            calls.add("command:" + action);
            return CompletableFuture.completedFuture(JsonObject.of("done", JsonValue.of(action)));
        }

        @Override
        public void dispose() {
            calls.add("dispose");
        }
    }

    static final class TestFactory implements DeviceHandlerFactory {
        final String bindingId;
        final Map<ThingId, List<TestHandler>> handlers = new ConcurrentHashMap<>();
        volatile RuntimeException failOnCreate;
        volatile RuntimeException failOnInitialize;

        TestFactory(String bindingId) {
            this.bindingId = bindingId;
        }

        @Override
        public String bindingId() {
            return bindingId;
        }

        @Override
        public DeviceHandler createHandler(Device device, DeviceCallback callback) {
            if (failOnCreate != null) {
                throw failOnCreate;
            }
            TestHandler h = new TestHandler(device, callback);
            h.failOnInitialize = failOnInitialize;
            handlers.computeIfAbsent(device.thingId(), k -> new CopyOnWriteArrayList<>()).add(h);
            return h;
        }

        TestHandler handler(ThingId id) {
            List<TestHandler> list = handlers.get(id);
            return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
        }

        int created(ThingId id) {
            List<TestHandler> list = handlers.get(id);
            return list == null ? 0 : list.size();
        }
    }

    private static org.awaitility.core.ConditionFactory waitFor() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    @BeforeEach
    void setUp() {
        registry = TwinRegistryImpl.inMemory();
        scheduler = new ScheduledThreadPoolExecutor(2);
        manager = new DeviceManagerImpl(registry, scheduler, Clock.systemUTC(), 64, 30);
    }

    @AfterEach
    void tearDown() {
        manager.deactivate();
        scheduler.shutdownNow();
        registry.close();
    }

    private static Device device(String name) {
        return new Device(ThingId.of("test.plugs", name), "test", MODEL, JsonObject.of("interval", JsonValue.of(1000)));
    }

    private Thing twin(ThingId id) {
        return registry.retrieve(id).orElseThrow();
    }

    private TestHandler startedHandler(Device d) {
        waitFor().until(() -> factory.handler(d.thingId()) != null
                && factory.handler(d.thingId()).calls.contains("initialize"));
        return factory.handler(d.thingId());
    }

    @Test
    void attachCreatesTheTwinAndWaitsForTheBinding() {
        Device d = device("plug-1");

        manager.attach(d);

        Thing t = twin(d.thingId());
        assertThat(t.definition()).contains(MODEL);
        assertThat(t.connectivity().toString()).isEqualTo("OFFLINE/BINDING_MISSING");
        assertThat(t.connectivity().description()).contains("'test'");
        assertThat(manager.devices("test")).containsExactly(d);
        assertThat(manager.device(d.thingId())).contains(d);
        assertThat(manager.bindings()).isEmpty();

        manager.addFactory(factory);

        TestHandler h = startedHandler(d);
        assertThat(h.device).isEqualTo(d);
        waitFor().until(() -> twin(d.thingId()).connectivity().equals(ConnectivityStatus.ONLINE));
        assertThat(manager.bindings()).containsExactly("test");
    }

    @Test
    void aNewTwinStartsFromItsModelTemplateWhenOneIsAvailable() {
        manager.setTemplates((id, model) -> MODEL.equals(model)
                ? java.util.Optional.of(Thing.newBuilder(id).definition(model)
                        .feature(io.rosetta.core.model.Feature.of("switch", io.rosetta.core.json.JsonArray.ofStrings(List.of("rosetta:switch:1.0.0")), null, null))
                        .build())
                : java.util.Optional.empty());
        Device d = device("plug-template");

        manager.attach(d);

        Thing t = twin(d.thingId());
        assertThat(t.definition()).contains(MODEL);
        assertThat(t.feature("switch").get().definition().toString()).isEqualTo("[\"rosetta:switch:1.0.0\"]");
    }

    @Test
    void attachKeepsAnExistingTwinAndIsIdempotent() {
        Device d = device("plug-2");
        registry.create(Thing.newBuilder(d.thingId()).definition("org.example:other:1.0.0")
                .attributes(JsonObject.of("location", JsonValue.of("kitchen"))).build());
        manager.addFactory(factory);

        manager.attach(d);
        manager.attach(d);
        startedHandler(d);

        assertThat(factory.created(d.thingId())).isEqualTo(1);
        assertThat(twin(d.thingId()).attributes()).contains(JsonObject.of("location", JsonValue.of("kitchen")));
        assertThat(twin(d.thingId()).definition()).contains("org.example:other:1.0.0");

        Device changed = new Device(d.thingId(), "test", MODEL, JsonObject.of("interval", JsonValue.of(5000)));
        manager.attach(changed);

        waitFor().until(() -> factory.created(d.thingId()) == 2);
        assertThat(factory.handlers.get(d.thingId()).get(0).calls).contains("dispose");
        assertThat(factory.handler(d.thingId()).device).isEqualTo(changed);
    }

    @Test
    void reportsReachTheTwinAndAreCounted() {
        Device d = device("plug-3");
        manager.addFactory(factory);
        manager.attach(d);
        TestHandler h = startedHandler(d);

        boolean accepted = h.callback.reportProperties("switch", Json.parseObject("{\"on\":true,\"power\":12.5}"));

        assertThat(accepted).isTrue();
        Thing t = twin(d.thingId());
        assertThat(t.feature("switch").orElseThrow().properties()).isEqualTo(Json.parseObject("{\"on\":true,\"power\":12.5}"));
        assertThat(t.lastSeenMillis()).isPositive();
        BindingStats stats = manager.bindingStats("test").orElseThrow();
        assertThat(stats.reports()).isEqualTo(1);
        assertThat(stats.refused()).isZero();
        assertThat(stats.devices()).isEqualTo(1);
        assertThat(stats.handlers()).isEqualTo(1);
        assertThat(stats.available()).isTrue();
        assertThat(h.callback.twin()).contains(t);
        assertThat(h.callback.scheduler()).isSameAs(scheduler);
    }

    @Test
    void refusedReportsAreCountedByReasonAndLeaveTheTwinUntouched() {
        registry.setValidators(List.of((candidate, previous) -> {
            candidate.feature("switch").map(f -> f.properties()).flatMap(p -> p.get("power")).ifPresent(v -> {
                if (!v.isNumber()) {
                    throw new ModelViolationException(MODEL, List.of("/features/switch/properties/power must be a number"));
                }
            });
        }));
        Device d = device("plug-4");
        manager.addFactory(factory);
        manager.attach(d);
        TestHandler h = startedHandler(d);
        assertThat(h.callback.reportProperties("switch", Json.parseObject("{\"power\":3}"))).isTrue();
        long revision = twin(d.thingId()).revision();

        assertThat(h.callback.reportProperties("switch", Json.parseObject("{\"power\":\"lots\"}"))).isFalse();
        assertThat(h.callback.reportProperties("switch", Json.parseObject("{\"power\":\"more\"}"))).isFalse();
        assertThat(h.callback.reportProperties("a/b", Json.parseObject("{\"power\":1}"))).isFalse();
        assertThat(h.callback.reportProperties("", Json.parseObject("{\"power\":1}"))).isFalse();
        assertThat(h.callback.reportProperties("switch", null)).isFalse();

        Thing t = twin(d.thingId());
        assertThat(t.revision()).isEqualTo(revision);
        assertThat(t.feature("switch").orElseThrow().properties()).isEqualTo(Json.parseObject("{\"power\":3}"));
        BindingStats stats = manager.bindingStats("test").orElseThrow();
        assertThat(stats.reports()).isEqualTo(1);
        assertThat(stats.refused()).isEqualTo(5);
        assertThat(stats.refusedByReason()).containsEntry("things:model.violation", 2L)
                .containsEntry("things:thing.invalid", 1L).containsEntry("invalid.argument", 2L);
    }

    @Test
    void theFeaturesOfOneMessageAreOneChangeTakenOrRefusedWhole() {
        registry.setValidators(List.of((candidate, previous) -> {
            candidate.feature("energy").map(f -> f.properties()).flatMap(p -> p.get("power")).ifPresent(v -> {
                if (!v.isNumber()) {
                    throw new ModelViolationException(MODEL, List.of("/features/energy/properties/power must be a number"));
                }
            });
        }));
        Device d = device("plug-16");
        manager.addFactory(factory);
        manager.attach(d);
        TestHandler h = startedHandler(d);
        registry.merge(d.thingId(), JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("level", JsonValue.of(5)),
                Precondition.none());
        waitFor().until(() -> h.desired.size() == 1);
        List<TwinEvent> events = new CopyOnWriteArrayList<>();
        registry.subscribe(new java.util.concurrent.Flow.Subscriber<TwinEvent>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(TwinEvent e) {
                if (e.thingId().equals(d.thingId())) {
                    events.add(e);
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        long revision = twin(d.thingId()).revision();
        Map<String, JsonObject> first = new java.util.LinkedHashMap<>();
        first.put("switch", Json.parseObject("{\"on\":false}"));   // new features: the general merge
        first.put("energy", Json.parseObject("{\"power\":7}"));
        first.put("device", JsonObject.empty());                  // nothing to report: skipped
        Map<String, JsonObject> second = Map.of("switch", Json.parseObject("{\"on\":true}"),  // existing features
                "energy", Json.parseObject("{\"power\":8.5,\"voltage\":230}"));
        Map<String, JsonObject> broken = Map.of("switch", Json.parseObject("{\"on\":false}"),
                "energy", Json.parseObject("{\"power\":\"lots\"}"));

        assertThat(h.callback.reportFeatures(first)).isTrue();
        assertThat(h.callback.reportFeatures(second)).isTrue();
        Thing afterSecond = twin(d.thingId());
        assertThat(h.callback.reportFeatures(broken)).isFalse();

        Thing t = twin(d.thingId());
        assertThat(t).isSameAs(afterSecond);
        assertThat(t.revision()).isEqualTo(revision + 2);
        assertThat(t.feature("switch").orElseThrow().properties()).isEqualTo(Json.parseObject("{\"on\":true}"));
        assertThat(t.feature("energy").orElseThrow().properties()).isEqualTo(Json.parseObject("{\"power\":8.5,\"voltage\":230}"));
        assertThat(t.feature("device")).isEmpty();
        waitFor().until(() -> events.size() == 2);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(TwinEvent.Type.MERGED);
            assertThat(e.path()).isEqualTo(JsonPointer.of("/features"));
        });
        assertThat(events.get(0).value()).isEqualTo(Json.parseObject(
                "{\"switch\":{\"properties\":{\"on\":false}},\"energy\":{\"properties\":{\"power\":7}}}"));
        assertThat(events.get(1).changedPaths()).containsExactlyInAnyOrder(JsonPointer.of("/features/switch/properties/on"),
                JsonPointer.of("/features/energy/properties/power"), JsonPointer.of("/features/energy/properties/voltage"));
        BindingStats stats = manager.bindingStats("test").orElseThrow();
        assertThat(stats.reports()).isEqualTo(2);
        assertThat(stats.refusedByReason()).containsEntry("things:model.violation", 1L);
        // the reports touched no desired state: the pending desired level is not handed to the device again
        assertThat(t.feature("switch").orElseThrow().desiredProperties()).isEqualTo(JsonObject.of("level", JsonValue.of(5)));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> h.desired.size() == 1);
        assertThat(h.calls).filteredOn(c -> c.startsWith("desired:")).hasSize(1);
    }

    @Test
    void desiredPropertiesReachTheHandlerInOrder() {
        Device d = device("plug-5");
        manager.addFactory(factory);
        manager.attach(d);
        TestHandler h = startedHandler(d);

        for (int i = 1; i <= 50; i++) {
            registry.merge(d.thingId(), JsonPointer.of("/features/switch/desiredProperties"),
                    JsonObject.of("level", JsonValue.of(i)), Precondition.none());
        }
        h.callback.reportProperties("switch", JsonObject.of("level", JsonValue.of(3))); // not a desired change

        waitFor().until(() -> h.desired.size() == 50);
        List<Long> levels = new ArrayList<>();
        for (JsonObject o : h.desired) {
            levels.add(((io.rosetta.core.json.JsonNumber) o.getOrNull("level")).longValue());
        }
        assertThat(levels).isSorted().hasSize(50).startsWith(1L).endsWith(50L);
        assertThat(h.calls).filteredOn(c -> c.startsWith("desired:")).allMatch(c -> c.equals("desired:switch"));
        assertThat(manager.bindingStats("test").orElseThrow().desiredForwarded()).isEqualTo(50);
    }

    @Test
    void storedDesiredStateIsHandedOverAtInitialize() {
        Device d = device("plug-6");
        registry.create(Thing.newBuilder(d.thingId()).definition(MODEL).build());
        registry.merge(d.thingId(), JsonPointer.of("/features/switch/desiredProperties"), Json.parseObject("{\"on\":true}"),
                Precondition.none());
        manager.attach(d);

        manager.addFactory(factory);

        TestHandler h = startedHandler(d);
        waitFor().until(() -> !h.desired.isEmpty());
        // the merge's own event may also still be on its way: delivering the same desired state twice is harmless
        assertThat(h.calls.get(0)).isEqualTo("initialize");
        assertThat(h.calls.subList(1, h.calls.size())).isNotEmpty().allMatch("desired:switch"::equals);
        assertThat(h.desired).allMatch(Json.parseObject("{\"on\":true}")::equals);
    }

    @Test
    void whenTheBindingGoesAwayItsTwinsGoOfflineAndStay() {
        Device d1 = device("plug-7");
        Device d2 = device("plug-8");
        manager.addFactory(factory);
        manager.attach(d1);
        manager.attach(d2);
        TestHandler h1 = startedHandler(d1);
        startedHandler(d2);
        h1.callback.reportProperties("switch", Json.parseObject("{\"on\":true}"));

        manager.removeFactory(factory);

        assertThat(h1.calls).contains("dispose");
        assertThat(factory.handler(d2.thingId()).calls).contains("dispose");
        for (Device d : List.of(d1, d2)) {
            Thing t = twin(d.thingId());
            assertThat(t.connectivity().toString()).isEqualTo("OFFLINE/BINDING_MISSING");
        }
        assertThat(twin(d1.thingId()).feature("switch").orElseThrow().properties()).isEqualTo(Json.parseObject("{\"on\":true}"));
        long revision = twin(d1.thingId()).revision();

        // a late callback of the disposed handler changes nothing
        assertThat(h1.callback.reportProperties("switch", Json.parseObject("{\"on\":false}"))).isFalse();
        h1.callback.updateStatus(ConnectivityStatus.ONLINE);
        assertThat(twin(d1.thingId()).revision()).isEqualTo(revision);

        BindingStats stats = manager.bindingStats("test").orElseThrow();
        assertThat(stats.available()).isFalse();
        assertThat(stats.devices()).isEqualTo(2);
        assertThat(stats.handlers()).isZero();
        assertThat(manager.bindings()).isEmpty();

        manager.addFactory(factory); // the binding is installed again

        waitFor().until(() -> factory.created(d1.thingId()) == 2);
        waitFor().until(() -> twin(d1.thingId()).connectivity().equals(ConnectivityStatus.ONLINE));
    }

    @Test
    void aSecondFactoryForTheSameBindingTakesOverWhenTheFirstLeaves() {
        TestFactory second = new TestFactory("test");
        Device d = device("plug-9");
        manager.addFactory(factory);
        manager.addFactory(second);
        manager.attach(d);
        startedHandler(d);
        assertThat(second.created(d.thingId())).isZero();

        manager.removeFactory(factory);

        waitFor().until(() -> second.created(d.thingId()) == 1);
        assertThat(manager.bindings()).containsExactly("test");
    }

    @Test
    void handlerFailuresBecomeAConfigurationErrorStatus() {
        factory.failOnCreate = new IllegalArgumentException("no address configured");
        manager.addFactory(factory);
        Device d = device("plug-10");

        manager.attach(d);

        assertThat(twin(d.thingId()).connectivity())
                .isEqualTo(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR, "no address configured"));

        factory.failOnCreate = null;
        factory.failOnInitialize = new IllegalStateException("port out of range");
        Device other = device("plug-11");
        manager.attach(other);

        waitFor().until(() -> twin(other.thingId()).connectivity()
                .equals(ConnectivityStatus.offline(ConnectivityStatus.Detail.CONFIGURATION_ERROR, "port out of range")));
        assertThat(manager.bindingStats("test").orElseThrow().handlerFailures()).isEqualTo(2);
    }

    @Test
    void detachDisposesAndMarksTheTwinGone() {
        Device d = device("plug-12");
        manager.addFactory(factory);
        manager.attach(d);
        TestHandler h = startedHandler(d);

        manager.detach(d.thingId());

        assertThat(h.calls).contains("dispose");
        assertThat(twin(d.thingId()).connectivity().toString()).isEqualTo("OFFLINE/GONE");
        assertThat(manager.device(d.thingId())).isEmpty();
        manager.detach(d.thingId()); // idempotent
    }

    @Test
    void commandsGoToTheHandlerAndFailClearlyWithoutOne() throws Exception {
        Device d = device("plug-13");
        manager.attach(d);

        assertThat(manager.sendCommand(d.thingId(), "reboot", JsonObject.empty()).toCompletableFuture())
                .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(manager.sendCommand(ThingId.of("test.plugs", "unknown"), "reboot", JsonObject.empty()).toCompletableFuture())
                .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(TwinException.class, e -> assertThat(e.status()).isEqualTo(404));

        manager.addFactory(factory);
        startedHandler(d);
        JsonValue out = manager.sendCommand(d.thingId(), "reboot", JsonObject.empty()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(out).isEqualTo(JsonObject.of("done", JsonValue.of("reboot")));
    }

    @Test
    void deletingTheTwinDetachesTheDevice() {
        Device d = device("plug-14");
        manager.addFactory(factory);
        manager.attach(d);
        TestHandler h = startedHandler(d);

        registry.delete(d.thingId(), JsonPointer.empty(), Precondition.none());

        waitFor().until(() -> manager.device(d.thingId()).isEmpty());
        assertThat(h.calls).contains("dispose");
        assertThat(h.callback.reportProperties("switch", JsonObject.of("on", JsonValue.of(true)))).isFalse();
        assertThat(registry.retrieve(d.thingId())).isEmpty();
    }

    @Test
    void aDecommissionedTwinCannotBeAttached() {
        Device d = device("plug-15");
        registry.create(Thing.newBuilder(d.thingId()).definition(MODEL).build());
        registry.updateLifecycle(d.thingId(), LifecycleState.DECOMMISSIONED);

        assertThatThrownBy(() -> manager.attach(d)).isInstanceOf(TwinException.class).hasMessageContaining("decommissioned");
        assertThat(manager.device(d.thingId())).isEmpty();
    }

    @Test
    void findsTheFeaturesWhoseDesiredPropertiesAnEventTouched() {
        ThingId id = ThingId.of("test:x");
        Thing thing = Thing.fromJson(Json.parseObject("{\"thingId\":\"test:x\",\"features\":{"
                + "\"a\":{\"desiredProperties\":{\"on\":true}},\"b\":{\"properties\":{\"x\":1}},"
                + "\"c\":{\"desiredProperties\":{}}}}"), id);

        assertThat(DeviceManagerImpl.desiredFeatures(event(thing, "/features/a/desiredProperties/on")))
                .containsExactly("a");
        assertThat(DeviceManagerImpl.desiredFeatures(event(thing, "/features/b/properties/x"))).isEmpty();
        assertThat(DeviceManagerImpl.desiredFeatures(event(thing, "/features/a"))).containsExactly("a");
        assertThat(DeviceManagerImpl.desiredFeatures(event(thing, "/features"))).containsExactly("a");
        assertThat(DeviceManagerImpl.desiredFeatures(event(thing, ""))).containsExactly("a");
        assertThat(DeviceManagerImpl.desiredFeatures(event(thing, "/attributes/location"))).isEmpty();
    }

    private static TwinEvent event(Thing thing, String path) {
        JsonPointer p = JsonPointer.of(path);
        return new TwinEvent(TwinEvent.Type.MERGED, thing.thingId(), 2, 0, p, JsonObject.empty(), List.of(p), thing);
    }
}
