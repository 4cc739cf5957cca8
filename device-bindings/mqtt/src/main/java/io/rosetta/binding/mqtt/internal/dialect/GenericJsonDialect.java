package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.config.GenericMappingConfig;
import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * JSON payloads of devices nobody anticipated: user-defined mappings ({@link GenericMappingConfig})
 * of a topic filter and JSON pointers onto a model's properties. Mappings are replaced at runtime
 * ({@link #setMappings}); the broker connection then subscribes to the new filters.
 */
public final class GenericJsonDialect implements Dialect {

    public static final String ID = "generic";
    static final String MAPPING = "mapping";

    private final String namespace;
    private final PropertyMapper mapper;
    private volatile List<GenericMappingConfig> mappings = List.of();
    /** The distinct filters of the mappings, in order; computed when the mappings change, read per message. */
    private volatile List<String> filters = List.of();

    public GenericJsonDialect(String namespace, PropertyMapper mapper) {
        this.namespace = namespace;
        this.mapper = mapper;
    }

    public void setMappings(Collection<GenericMappingConfig> mappings) {
        List<GenericMappingConfig> copy = List.copyOf(mappings);
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (GenericMappingConfig m : copy) {
            distinct.add(m.topic());
        }
        this.mappings = copy;
        this.filters = List.copyOf(distinct);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> subscriptions() {
        return filters;
    }

    @Override
    public List<Decoded> decode(String topic, byte[] payload, KnownDevices known) throws RejectedException {
        GenericMappingConfig mapping = null;
        for (GenericMappingConfig m : mappings) {
            if (Topics.matches(m.topic(), topic)) {
                mapping = m;
                break;
            }
        }
        if (mapping == null) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "no generic mapping has a filter matching " + topic);
        }
        ThingId id = thingId(mapping, topic);
        JsonObject data = JsonPayloads.object(payload);
        Map<String, JsonObject> features = mapper.map(mapping.model(), mapping.rules(), data, null);
        JsonObject configuration = JsonObject.newBuilder()
                .set(Decoded.ADDRESS, JsonValue.of(topic))
                .set(MAPPING, JsonValue.of(mapping.name()))
                .build();
        return List.of(new Decoded.Report(id, mapping.model(), configuration, features, true));
    }

    private ThingId thingId(GenericMappingConfig mapping, String topic) throws RejectedException {
        String text = GenericMappingConfig.render(mapping.thingId(), topic);
        try {
            return text.indexOf(':') >= 0 ? ThingId.of(text) : ThingId.of(namespace, text);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "mapping '" + mapping.name() + "' makes no valid thing id of " + topic + ": " + e.getMessage());
        }
    }

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        String name = device.text(MAPPING);
        String address = device.address();
        GenericMappingConfig mapping = null;
        for (GenericMappingConfig m : mappings) {
            if (m.name().equals(name)) {
                mapping = m;
            }
        }
        if (mapping == null || address == null || mapping.commandTopic() == null) {
            return List.of();
        }
        FeatureModel feature = mapper.model(mapping.model()).map(m -> m.features().get(featureId)).orElse(null);
        JsonObject command = JsonObject.empty();
        for (CommandRule rule : mapping.commands()) {
            JsonValue v = rule.feature().equals(featureId) ? desired.getOrNull(rule.property()) : null;
            if (v != null) {
                PropertyModel p = feature == null ? null : feature.properties().get(rule.property());
                command = command.set(JsonPointer.of(rule.target()), mapper.toDevice(rule, p, v));
            }
        }
        List<Outbound> out = new ArrayList<>();
        if (!command.isEmpty()) {
            out.add(Outbound.of(GenericMappingConfig.render(mapping.commandTopic(), address), Json.write(command)));
        }
        return out;
    }
}
