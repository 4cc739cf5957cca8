package io.rosetta.binding.coap.internal;

import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.internal.ModelValidator;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real core as the CoAP binding meets it in Karaf, wired by hand: an in-memory twin registry
 * with the model validator, the device manager, a scheduler, the binding's runtime and handler factory,
 * and CoAP servers on free ports.
 */
final class CoreWiring implements AutoCloseable {

    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(4, r -> {
        Thread t = new Thread(r, "test-scheduler");
        t.setDaemon(true);
        return t;
    });
    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final DeviceManagerImpl devices;
    final CoapRuntime runtime = new CoapRuntime(Clock.systemUTC());
    final CoapHandlerFactory factory = new CoapHandlerFactory(runtime, TestModels.models());
    private final List<CoapServerComponent> servers = new ArrayList<>();

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
    }

    /** A server on free ports (UDP and DTLS) with the given configuration on top of the defaults of the tests. */
    CoapServerComponent server(Map<String, Object> config) {
        return server(config, null);
    }

    /** As {@link #server(Map)}, with pre-shared keys looked up in {@code credentials} before the configuration. */
    CoapServerComponent server(Map<String, Object> config, io.rosetta.binding.coap.internal.dtls.PskCredentials credentials) {
        Map<String, Object> p = new HashMap<>(Map.of("host", "127.0.0.1", "port", 0, "securePort", 0, "allowPlainCoap", true,
                "minLifetime", 1));
        p.putAll(config);
        CoapServerComponent server = new CoapServerComponent(runtime, devices, TestModels.models(), scheduler, p, credentials);
        servers.add(server);
        return server;
    }

    Optional<Thing> twin(ThingId id) {
        return registry.retrieve(id);
    }

    @Override
    public void close() {
        servers.forEach(CoapServerComponent::stop);
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
