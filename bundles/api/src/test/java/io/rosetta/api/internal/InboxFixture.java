package io.rosetta.api.internal;

import io.rosetta.core.binding.Device;
import io.rosetta.core.inbox.Discovery;
import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.inbox.InboxImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real discovery inbox (in memory) and device manager over an {@link ApiServer}'s registry, with the
 * inbox routes added to its server.
 */
final class InboxFixture implements AutoCloseable {

    static final String MODEL = "rosetta:smart-plug:1.0.0";

    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    final DeviceManagerImpl devices;
    final InboxImpl inbox;

    InboxFixture(ApiServer api) throws Exception {
        devices = new DeviceManagerImpl(api.registry, scheduler, new DeviceManagerImpl.Config() {
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
        inbox = new InboxImpl(devices, api.registry, null, null, Clock.systemUTC(), 1000, 100, 0);
        api.addRoutes(new InboxRoutes(inbox, api.authenticator, api.metrics));
    }

    /** A device of the MQTT binding (not installed here) announced on the broker connection 'local'. */
    void discover(String thingId) {
        Device device = new Device(ThingId.of(thingId), "mqtt", MODEL, JsonObject.of("address", JsonValue.of("plant/edge-1/plug")));
        inbox.discovered(new Discovery(device, "sparkplug", "local", JsonObject.of("vendor", JsonValue.of("Acme")), false));
    }

    @Override
    public void close() throws Exception {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
