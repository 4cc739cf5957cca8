package io.rosetta.binding.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceCallback;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoapDeviceHandlerTest {

    private static final ThingId ID = ThingId.of("coap", "race");

    /**
     * The device manager initializes a handler on the device's queue while the registration that attached the device
     * is still on its way to the runtime: whichever comes first, the twin ends up ONLINE, never with the status the
     * handler looked up before the registration arrived.
     */
    @Test
    void aRegistrationArrivingWhileTheHandlerInitializesLeavesTheTwinOnline() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2_000; i++) {
                CoapRuntime runtime = new CoapRuntime(Clock.systemUTC());
                StatusCallback callback = new StatusCallback();
                CoapDeviceHandler handler = new CoapDeviceHandler(new Device(ID, CoapBindingConstants.BINDING_ID,
                        "rosetta:temperature-humidity-sensor:1.0.0", JsonObject.empty()), callback, runtime, TestModels.models());
                Registration registration = new Registration("1", "race", ID, "rosetta:temperature-humidity-sensor:1.0.0", 300,
                        "coap://127.0.0.1:5683", List.of(), new InetSocketAddress("127.0.0.1", 5683), null, null, null);
                // both threads spin to the start together; the registration comes a little later in each round, so that the
                // rounds sweep the handler's lookup of the registration and its first status
                AtomicInteger arrived = new AtomicInteger();
                int lag = (i % 100) * 5;
                Future<?> init = pool.submit(() -> {
                    startTogether(arrived);
                    handler.initialize();
                    return null;
                });
                Future<?> register = pool.submit(() -> {
                    startTogether(arrived);
                    for (int spin = 0; spin < lag; spin++) {
                        Thread.onSpinWait();
                    }
                    runtime.registered(registration, true);
                    return null;
                });
                init.get(5, TimeUnit.SECONDS);
                register.get(5, TimeUnit.SECONDS);
                assertThat(callback.status).as("round %d", i).isEqualTo(ConnectivityStatus.ONLINE);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void startTogether(AtomicInteger arrived) {
        arrived.incrementAndGet();
        while (arrived.get() < 2) {
            Thread.onSpinWait();
        }
    }

    /** Keeps the last status the handler reported. */
    private static final class StatusCallback implements DeviceCallback {
        volatile ConnectivityStatus status;

        @Override
        public ThingId thingId() {
            return ID;
        }

        @Override
        public boolean reportProperties(String featureId, JsonObject properties) {
            return true;
        }

        @Override
        public void updateStatus(ConnectivityStatus s) {
            status = s;
        }

        @Override
        public Optional<Thing> twin() {
            return Optional.empty();
        }

        @Override
        public ScheduledExecutorService scheduler() {
            throw new UnsupportedOperationException("not used by the handler's status");
        }
    }
}
