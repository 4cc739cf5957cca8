package io.rosetta.binding.virtual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtualDeviceHandlerTest {

    private static final String PLUG = "rosetta:smart-plug:1.0.0";

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final RecordingCallback callback = new RecordingCallback();

    record Report(String feature, JsonObject values) {
    }

    final class RecordingCallback implements DeviceCallback {
        final List<Report> reports = new CopyOnWriteArrayList<>();
        final List<ConnectivityStatus> statuses = new CopyOnWriteArrayList<>();

        @Override
        public ThingId thingId() {
            return ThingId.of("test:plug-1");
        }

        @Override
        public boolean reportProperties(String featureId, JsonObject properties) {
            reports.add(new Report(featureId, properties));
            return true;
        }

        @Override
        public void updateStatus(ConnectivityStatus status) {
            statuses.add(status);
        }

        @Override
        public Optional<Thing> twin() {
            return Optional.empty();
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }
    }

    static final class Models implements ModelRegistry {
        final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Models() {
            known.addAll(ShippedModels.DEVICE_MODELS);
        }

        @Override
        public Optional<ThingModel> model(String id) {
            return known.contains(id) ? Optional.of(ShippedModels.model(id)) : Optional.empty();
        }

        @Override
        public Collection<ThingModel> models() {
            return ShippedModels.DEVICE_MODELS.stream().map(ShippedModels::model).toList();
        }

        @Override
        public double convert(double value, String fromUnit, String toUnit) {
            throw new UnsupportedOperationException();
        }
    }

    {
        scheduler.setRemoveOnCancelPolicy(true); // as the core's scheduler does
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private final Models models = new Models();

    private VirtualDeviceHandler handler(String model, long intervalMillis) {
        Device d = new Device(ThingId.of("test:plug-1"), "virtual", model,
                JsonObject.of(VirtualBindingConstants.CONFIG_INTERVAL_MILLIS, JsonValue.of(intervalMillis)));
        return new VirtualDeviceHandler(d, callback, models, VirtualHandlerFactory.interval(d), new SplittableRandom(1));
    }

    @Test
    void goesOnlineAndReportsEveryFeatureAtItsInterval() {
        VirtualDeviceHandler h = handler(PLUG, 20);

        h.initialize();

        assertThat(callback.statuses).containsExactly(ConnectivityStatus.ONLINE);
        await().atMost(Duration.ofSeconds(5)).until(() -> callback.reports.size() >= 9);
        assertThat(callback.reports).extracting(Report::feature).contains("switch", "energy", "device");
        Report energy = callback.reports.stream().filter(r -> r.feature().equals("energy")).findFirst().orElseThrow();
        assertThat(energy.values().keys()).containsExactlyInAnyOrder("power", "energy", "voltage", "current");
        h.dispose();
    }

    @Test
    void appliesWritableDesiredPropertiesAndConfirmsThem() {
        VirtualDeviceHandler h = handler(PLUG, 60_000);
        h.initialize();

        h.handleDesiredProperties("switch", Json.parseObject("{\"on\":true,\"powerOnState\":\"maybe\",\"unknown\":1}"));

        assertThat(callback.reports).contains(new Report("switch", Json.parseObject("{\"on\":true}")));
        assertThat(h.values("switch").getOrNull("on")).isEqualTo(JsonValue.of(true));

        h.handleDesiredProperties("switch", Json.parseObject("{\"on\":false}"));
        h.handleDesiredProperties("energy", Json.parseObject("{\"power\":5}")); // measured: a device ignores it
        assertThat(callback.reports).last().isEqualTo(new Report("switch", Json.parseObject("{\"on\":false}")));
        // the switch keeps what it was told on the next rounds
        h.report();
        h.report();
        assertThat(h.values("switch").getOrNull("on")).isEqualTo(JsonValue.of(false));
        h.dispose();
    }

    @Test
    void stopsReportingWhenDisposed() {
        VirtualDeviceHandler h = handler(PLUG, 10);
        h.initialize();
        await().atMost(Duration.ofSeconds(5)).until(() -> callback.reports.size() >= 3);

        h.dispose();
        int after = callback.reports.size();
        h.report();
        h.handleDesiredProperties("switch", Json.parseObject("{\"on\":true}"));

        assertThat(callback.reports).hasSize(after);
        assertThat(scheduler.getQueue()).isEmpty();
    }

    @Test
    void anUnknownModelIsAConfigurationErrorUntilTheModelArrives() {
        models.known.remove(PLUG);
        VirtualDeviceHandler h = handler(PLUG, 100);

        h.initialize();

        assertThat(callback.statuses).singleElement().satisfies(s -> {
            assertThat(s.toString()).isEqualTo("OFFLINE/CONFIGURATION_ERROR");
            assertThat(s.description()).isEqualTo("Unknown model 'rosetta:smart-plug:1.0.0'");
        });
        assertThat(callback.reports).isEmpty();
        assertThat(h.modelRetryDelay()).as("after the first look").isEqualTo(Duration.ofMillis(500));

        models.known.add(PLUG); // e.g. the model bundle started after the binding

        await().atMost(Duration.ofSeconds(5)).until(() -> callback.statuses.contains(ConnectivityStatus.ONLINE));
        await().atMost(Duration.ofSeconds(5)).until(() -> !callback.reports.isEmpty());
        h.dispose();
        assertThat(scheduler.getQueue()).isEmpty();
    }

    @Test
    void disposingWhileWaitingForTheModelStopsTheRetries() {
        models.known.remove(PLUG);
        VirtualDeviceHandler h = handler(PLUG, 100);
        h.initialize();
        assertThat(scheduler.getQueue()).hasSize(1);

        h.dispose();

        assertThat(scheduler.getQueue()).isEmpty();
    }

    @Test
    void theFactoryReadsTheIntervalFromTheDevice() {
        Device with = new Device(ThingId.of("a:b"), "virtual", PLUG, JsonObject.of("intervalMillis", JsonValue.of(250)));
        Device without = new Device(ThingId.of("a:b"), "virtual", PLUG, null);
        Device wrong = new Device(ThingId.of("a:b"), "virtual", PLUG, JsonObject.of("intervalMillis", JsonValue.of("soon")));
        assertThat(VirtualHandlerFactory.interval(with)).isEqualTo(Duration.ofMillis(250));
        assertThat(VirtualHandlerFactory.interval(without)).isEqualTo(VirtualHandlerFactory.DEFAULT_INTERVAL);
        assertThat(VirtualHandlerFactory.interval(wrong)).isEqualTo(VirtualHandlerFactory.DEFAULT_INTERVAL);
        assertThat(new VirtualHandlerFactory(new Models()).bindingId()).isEqualTo("virtual");
    }
}
