package io.rosetta.binding.virtual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentConstants;

class VirtualFleetTest {

    /** Records attach/detach as the core's DeviceManager would receive them. */
    static final class Devices implements DeviceManager {
        final Map<ThingId, Device> attached = new LinkedHashMap<>();
        final List<ThingId> detached = new ArrayList<>();
        ThingId refuse;

        @Override
        public void attach(Device device) {
            if (device.thingId().equals(refuse)) {
                throw TwinException.notModifiable(device.thingId(), "it is decommissioned");
            }
            attached.put(device.thingId(), device);
        }

        @Override
        public void detach(ThingId thingId) {
            attached.remove(thingId);
            detached.add(thingId);
        }

        @Override
        public Optional<Device> device(ThingId thingId) {
            return Optional.ofNullable(attached.get(thingId));
        }

        @Override
        public Collection<Device> devices(String bindingId) {
            return attached.values();
        }

        @Override
        public Collection<String> bindings() {
            return List.of("virtual");
        }

        @Override
        public CompletionStage<JsonValue> sendCommand(ThingId thingId, String action, JsonValue input) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }

    private static Map<String, Object> config(int count, String models) {
        Map<String, Object> m = new HashMap<>();
        m.put("namespace", "demo");
        m.put("namePrefix", "dev");
        m.put("count", count);
        m.put("model", models);
        m.put("interval", "1s");
        return m;
    }

    @Test
    void attachesItsDevicesWithModelAndInterval() {
        Devices devices = new Devices();

        new VirtualFleet(devices, config(4, "rosetta:smart-plug:1.0.0,rosetta:contact-sensor:1.0.0"));

        assertThat(devices.attached).hasSize(4);
        Device first = devices.attached.get(ThingId.of("demo:dev-01"));
        assertThat(first.bindingId()).isEqualTo("virtual");
        assertThat(first.model()).isEqualTo("rosetta:smart-plug:1.0.0");
        assertThat(first.configuration().getOrNull("intervalMillis")).isEqualTo(JsonValue.of(1000));
        assertThat(devices.attached.get(ThingId.of("demo:dev-02")).model()).isEqualTo("rosetta:contact-sensor:1.0.0");
    }

    @Test
    void aSmallerFleetDetachesTheDevicesItNoLongerHas() {
        Devices devices = new Devices();
        VirtualFleet fleet = new VirtualFleet(devices, config(5, "rosetta:smart-plug:1.0.0"));

        fleet.modified(config(3, "rosetta:smart-plug:1.0.0"));

        assertThat(devices.attached.keySet()).containsExactly(ThingId.of("demo:dev-01"), ThingId.of("demo:dev-02"), ThingId.of("demo:dev-03"));
        assertThat(devices.detached).containsExactlyInAnyOrder(ThingId.of("demo:dev-04"), ThingId.of("demo:dev-05"));
    }

    @Test
    void stoppingTheBundleKeepsTheDevicesAttachedButDeletingTheConfigurationDetachesThem() {
        Devices devices = new Devices();
        VirtualFleet fleet = new VirtualFleet(devices, config(3, "rosetta:smart-plug:1.0.0"));
        fleet.deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        assertThat(devices.detached).isEmpty();

        VirtualFleet again = new VirtualFleet(devices, config(3, "rosetta:smart-plug:1.0.0"));
        again.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        assertThat(devices.detached).hasSize(3);
        assertThat(devices.attached).isEmpty();
    }

    @Test
    void anInvalidConfigurationAttachesNothingAndARefusedDeviceDoesNotStopTheOthers() {
        Devices devices = new Devices();
        Map<String, Object> bad = config(3, "rosetta:smart-plug:1.0.0");
        bad.put("count", "three");
        new VirtualFleet(devices, bad);
        assertThat(devices.attached).isEmpty();

        devices.refuse = ThingId.of("demo:dev-02");
        new VirtualFleet(devices, config(3, "rosetta:smart-plug:1.0.0"));
        assertThat(devices.attached.keySet()).containsExactly(ThingId.of("demo:dev-01"), ThingId.of("demo:dev-03"));
    }
}
