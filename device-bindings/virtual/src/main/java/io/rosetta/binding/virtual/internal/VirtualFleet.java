package io.rosetta.binding.virtual.internal;

import io.rosetta.binding.virtual.internal.config.VirtualFleetConfig;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fleet of simulated devices per factory configuration {@code io.rosetta.binding.virtual-<name>}:
 * attaches its devices to the core on activation and when the configuration changes. Devices
 * leave the core only when their configuration is deleted or shrinks; when the binding itself
 * stops, the core keeps the devices waiting and marks their twins {@code OFFLINE/BINDING_MISSING}.
 */
@Component(configurationPid = VirtualBindingConstants.FLEET_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class VirtualFleet {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualFleet.class);

    private final DeviceManager devices;
    private Map<ThingId, Device> attached = Map.of();

    @Activate
    public VirtualFleet(@Reference DeviceManager devices, Map<String, Object> properties) {
        this.devices = devices;
        apply(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private synchronized void apply(Map<String, Object> properties) {
        VirtualFleetConfig config;
        try {
            config = VirtualFleetConfig.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("Virtual fleet configuration {} is invalid: {}; its devices are not simulated",
                    properties.getOrDefault("service.pid", VirtualBindingConstants.FLEET_PID), e.getMessage());
            detach(new ArrayList<>(attached.keySet()));
            attached = Map.of();
            return;
        }
        Map<ThingId, Device> wanted = devicesOf(config);
        List<ThingId> gone = new ArrayList<>();
        for (ThingId id : attached.keySet()) {
            if (!wanted.containsKey(id)) {
                gone.add(id);
            }
        }
        detach(gone);
        int failed = 0;
        Map<ThingId, Device> now = new LinkedHashMap<>();
        for (Device d : wanted.values()) {
            try {
                devices.attach(d);
                now.put(d.thingId(), d);
            } catch (RuntimeException e) {
                failed++;
                LOG.warn("Virtual device {} could not be attached: {}", d.thingId(), e.getMessage());
            }
        }
        attached = now;
        LOG.info("Virtual fleet '{}': {} devices of {} every {} ms{}", config.name(), now.size(), config.models(),
                config.interval().toMillis(), failed > 0 ? " (" + failed + " refused)" : "");
    }

    static Map<ThingId, Device> devicesOf(VirtualFleetConfig config) {
        Map<ThingId, Device> out = new LinkedHashMap<>();
        JsonObject deviceConfig = JsonObject.newBuilder()
                .set(VirtualBindingConstants.CONFIG_INTERVAL_MILLIS, JsonValue.of(config.interval().toMillis()))
                .set(VirtualBindingConstants.CONFIG_FLEET, JsonValue.of(config.name()))
                .build();
        for (int i = 0; i < config.count(); i++) {
            ThingId id = config.thingId(i);
            out.put(id, new Device(id, VirtualBindingConstants.BINDING_ID, config.model(i), deviceConfig));
        }
        return out;
    }

    private void detach(List<ThingId> ids) {
        for (ThingId id : ids) {
            devices.detach(id);
        }
    }

    /**
     * Detaches the fleet's devices only when its configuration was deleted (or the component
     * disabled); when the bundle or the core stops, the attachments stay so that the core marks the
     * twins {@code OFFLINE/BINDING_MISSING} and resumes them when the binding returns.
     */
    @Deactivate
    synchronized void deactivate(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED
                || reason == ComponentConstants.DEACTIVATION_REASON_DISABLED) {
            detach(new ArrayList<>(attached.keySet()));
            LOG.info("Virtual fleet removed; {} devices detached", attached.size());
        }
        attached = Map.of();
    }
}
