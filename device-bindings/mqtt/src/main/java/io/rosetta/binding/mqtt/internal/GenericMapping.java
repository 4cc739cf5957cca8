package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generic JSON mapping per factory configuration {@code io.rosetta.binding.mqtt.generic-<name>}:
 * added, changed and removed while the server runs; the broker connections re-subscribe at once.
 */
@Component(configurationPid = MqttBindingConstants.GENERIC_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
public final class GenericMapping {

    private static final Logger LOG = LoggerFactory.getLogger(GenericMapping.class);

    private final MqttRuntime runtime;
    private String name;

    @Activate
    public GenericMapping(@Reference MqttRuntime runtime, Map<String, Object> properties) {
        this.runtime = runtime;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private synchronized void apply(Map<String, Object> properties) {
        try {
            GenericMappingConfig config = GenericMappingConfig.from(properties);
            if (name != null && !name.equals(config.name())) {
                runtime.removeGenericMapping(name);
            }
            name = config.name();
            runtime.putGenericMapping(config);
            LOG.info("Generic MQTT mapping '{}': {} → {} as {}", config.name(), config.topic(), config.thingId(), config.model());
        } catch (IllegalArgumentException e) {
            LOG.error("Generic MQTT mapping {} is invalid: {}; it maps nothing",
                    properties.getOrDefault("service.pid", MqttBindingConstants.GENERIC_PID), e.getMessage());
            if (name != null) {
                runtime.removeGenericMapping(name);
                name = null;
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (name != null) {
            runtime.removeGenericMapping(name);
        }
    }
}
