package io.rosetta.benchmarks.simulator;

import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.binding.mqtt.internal.dialect.Decoded;
import io.rosetta.binding.mqtt.internal.dialect.Dialect;
import io.rosetta.binding.mqtt.internal.dialect.GenericJsonDialect;
import io.rosetta.binding.mqtt.internal.dialect.HomeAssistantDialect;
import io.rosetta.binding.mqtt.internal.dialect.HomieDialect;
import io.rosetta.binding.mqtt.internal.dialect.Outbound;
import io.rosetta.binding.mqtt.internal.dialect.ShellyGen2Dialect;
import io.rosetta.binding.mqtt.internal.dialect.TasmotaDialect;
import io.rosetta.binding.mqtt.internal.dialect.Zigbee2MqttDialect;
import io.rosetta.binding.mqtt.internal.mapping.MappingCatalog;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The MQTT binding's own dialect classes (rosetta-binding-mqtt on the test class path, with the shipped
 * models, the real UCUM conversion and the shipped mapping files), fed with the simulator's messages as
 * the binding's pipeline feeds them: a device is attached with the model of its first attaching report,
 * later reports are merged into its reported properties, availability is kept.
 */
final class BindingHarness {

    static final ClassLoader LOADER = BindingHarness.class.getClassLoader();
    static final ModelRegistry MODELS = ClassPathModels.registry(LOADER);
    static final MappingCatalog CATALOG = MappingCatalog.load(LOADER);
    static final String NAMESPACE = "mqtt";

    final Dialect dialect;
    final Map<ThingId, String> models = new HashMap<>();
    final Map<ThingId, JsonObject> configurations = new HashMap<>();
    final Map<ThingId, Map<String, JsonObject>> reported = new LinkedHashMap<>();
    final Map<ThingId, Boolean> online = new HashMap<>();
    final List<Decoded.Report> reports = new ArrayList<>();

    BindingHarness(Dialect dialect) {
        this.dialect = dialect;
    }

    static BindingHarness of(String dialect, SimulatorOptions o) {
        PropertyMapper mapper = new PropertyMapper(MODELS);
        Dialect d = switch (dialect) {
            case Zigbee2MqttDevice.DIALECT -> new Zigbee2MqttDialect(o.zigbee2mqttBase(), NAMESPACE, CATALOG.mappings(Zigbee2MqttDialect.ID), mapper);
            case TasmotaDevice.DIALECT -> new TasmotaDialect(TasmotaDialect.DEFAULT_FULL_TOPIC, NAMESPACE, CATALOG.mappings(TasmotaDialect.ID), mapper);
            case ShellyDevice.DIALECT -> new ShellyGen2Dialect(NAMESPACE, CATALOG.mappings(ShellyGen2Dialect.ID), mapper);
            case HomieDevice.DIALECT -> new HomieDialect(o.homieBase(), NAMESPACE, CATALOG.mappings(HomieDialect.ID), mapper);
            case HomeAssistantDevice.DIALECT -> new HomeAssistantDialect(o.homeAssistantPrefix(), NAMESPACE,
                    CATALOG.mappings(HomeAssistantDialect.ID), mapper, () -> { });
            case GenericJsonDevice.DIALECT -> {
                GenericJsonDialect g = new GenericJsonDialect(NAMESPACE, mapper);
                g.setMappings(List.of(generic("io.rosetta.binding.mqtt.generic-acme-climate.cfg"),
                        generic("io.rosetta.binding.mqtt.generic-acme-relay.cfg")));
                yield g;
            }
            case SparkplugDevice.DIALECT -> sparkplug(mapper);
            default -> throw new IllegalArgumentException(dialect);
        };
        return new BindingHarness(d);
    }

    static final String SPARKPLUG_DIALECT = "io.rosetta.binding.mqtt.internal.dialect.SparkplugDialect";

    /** Whether the binding on the class path reads Sparkplug B (the dialect arrived after the others). */
    static boolean hasSparkplug() {
        try {
            Class.forName(SPARKPLUG_DIALECT, false, LOADER);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The binding's Sparkplug dialect, made by reflection so that this test compiles against bindings without it. */
    private static Dialect sparkplug(PropertyMapper mapper) {
        try {
            return (Dialect) Class.forName(SPARKPLUG_DIALECT, true, LOADER)
                    .getConstructor(List.class, String.class, List.class, PropertyMapper.class, java.time.Duration.class,
                            java.util.function.LongSupplier.class, java.util.function.Consumer.class, java.util.function.Consumer.class)
                    .newInstance(List.of("*"), NAMESPACE, CATALOG.mappings("sparkplug"), mapper, java.time.Duration.ofSeconds(30),
                            (java.util.function.LongSupplier) System::currentTimeMillis,
                            (java.util.function.Consumer<Outbound>) o -> { },
                            (java.util.function.Consumer<String>) e -> { });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the binding's Sparkplug dialect has another constructor: " + e, e);
        }
    }

    /** A generic mapping from the configuration file the end-to-end script installs. */
    static GenericMappingConfig generic(String file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("scripts", "etc", file))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> m.put((String) k, v));
        m.put("name", file.substring(file.indexOf("generic-") + "generic-".length(), file.length() - ".cfg".length()));
        return GenericMappingConfig.from(m);
    }

    /** Decodes a message as the binding does; a refusal is a failure of the simulator's payload. */
    List<Decoded> feed(Message m) {
        if (!dialect.claims(m.topic())) {
            throw new AssertionError(dialect.id() + " does not read the topic " + m.topic());
        }
        List<Decoded> out;
        try {
            out = dialect.decode(m.topic(), m.payload(), id -> Optional.ofNullable(models.get(id)));
        } catch (RejectedException e) {
            throw new AssertionError(dialect.id() + " refused " + m + ": " + e.reason() + " " + e.getMessage(), e);
        }
        for (Decoded d : out) {
            if (d instanceof Decoded.Report r) {
                reports.add(r);
                if (r.attach()) {
                    models.putIfAbsent(r.thingId(), r.model());
                    configurations.putIfAbsent(r.thingId(), r.configuration());
                }
                if (models.containsKey(r.thingId())) {
                    Map<String, JsonObject> twin = reported.computeIfAbsent(r.thingId(), k -> new LinkedHashMap<>());
                    r.features().forEach((f, props) -> twin.merge(f, props, JsonObject::setAll));
                }
            } else if (d instanceof Decoded.Availability a) {
                online.put(a.thingId(), a.online());
            }
        }
        return out;
    }

    void feedAll(List<Message> messages) {
        messages.forEach(this::feed);
    }

    ThingId id(SimDevice d) {
        return ThingId.of(NAMESPACE, d.thingName());
    }

    /** What the binding sends to a device when a feature's desired properties change. */
    List<Outbound> desired(SimDevice d, String feature, JsonObject desired) {
        ThingId id = id(d);
        if (!models.containsKey(id)) {
            throw new AssertionError(d + " is not attached");
        }
        try {
            return dialect.encode(new Dialect.DeviceRef(id, models.get(id), configurations.get(id)), feature, desired);
        } catch (RejectedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A reported property of a device's twin, or {@code null}. */
    Object property(SimDevice d, String feature, String property) {
        Map<String, JsonObject> twin = reported.get(id(d));
        JsonObject f = twin == null ? null : twin.get(feature);
        return f == null ? null : f.getOrNull(property);
    }
}
