package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.mapping.MappingCatalog;
import io.rosetta.core.internal.binding.ConnectionSupervisorImpl;
import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.inbox.InboxImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.internal.ModelValidator;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real core as the MQTT binding meets it in Karaf, wired by hand: an in-memory twin registry
 * with the model validator, the device manager, the connection supervisor (fast backoff), a
 * scheduler, the discovery inbox (in memory), the binding's runtime and handler factory.
 */
final class CoreWiring implements AutoCloseable {

    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
        Thread t = new Thread(r, "test-scheduler");
        t.setDaemon(true);
        return t;
    });
    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final DeviceManagerImpl devices;
    final ConnectionSupervisorImpl supervisor;
    final InboxImpl inbox;
    final MqttRuntime runtime = new MqttRuntime(TestModels.catalog(), 20, Clock.systemUTC());
    final MqttHandlerFactory factory = new MqttHandlerFactory(runtime);

    CoreWiring() {
        registry.setValidators(List.of(new ModelValidator(TestModels.models(), true, true)));
        devices = new DeviceManagerImpl(registry, scheduler, new DeviceManagerImpl.Config() {
            @Override
            public int deviceQueueCapacity() {
                return 256;
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
        inbox = new InboxImpl(devices, registry, null, null, Clock.systemUTC(), 10_000, 1_000, 0);
        supervisor = new ConnectionSupervisorImpl(scheduler, new ConnectionSupervisorImpl.Config() {
            @Override
            public long initialDelayMillis() {
                return 50;
            }

            @Override
            public long maxDelayMillis() {
                return 500;
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

    static MappingCatalog catalog() {
        return TestModels.catalog();
    }

    MqttBrokerConnection broker(Map<String, Object> config) {
        return new MqttBrokerConnection(runtime, supervisor, devices, inbox, TestModels.models(), scheduler, config);
    }

    Optional<Thing> twin(ThingId id) {
        return registry.retrieve(id);
    }

    @Override
    public void close() {
        devices.removeFactory(factory);
        registry.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
