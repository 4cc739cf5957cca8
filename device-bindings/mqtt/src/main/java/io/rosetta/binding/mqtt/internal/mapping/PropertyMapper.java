package io.rosetta.binding.mqtt.internal.mapping;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.PropertyValueException;
import io.rosetta.models.PropertyValues;
import io.rosetta.models.ThingModel;
import io.rosetta.models.UnitConversionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies mapping rules to a payload: finds each value, translates device values, converts units
 * into the model's unit with {@link ModelRegistry#convert} and checks the result against the model
 * property (JSON type, integer, range, enumeration). One bad value refuses the whole message, so that
 * a twin never takes half of a broken payload.
 */
public final class PropertyMapper {

    private final ModelRegistry models;

    public PropertyMapper(ModelRegistry models) {
        this.models = models;
    }

    public Optional<ThingModel> model(String id) {
        return models.model(id);
    }

    /**
     * The model properties a payload carries, by feature id; empty when it carries none of the
     * mapping's properties.
     */
    public Map<String, JsonObject> map(String modelId, List<MappingRule> rules, JsonObject payload, String messageType)
            throws RejectedException {
        ThingModel model = models.model(modelId).orElseThrow(() -> new RejectedException(RejectReason.UNKNOWN_DEVICE,
                "the model " + modelId + " is not loaded"));
        Map<String, JsonObject.Builder> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        RejectReason first = null;
        for (MappingRule rule : rules) {
            if (!rule.appliesTo(messageType)) {
                continue;
            }
            JsonValue raw = Sources.resolve(payload, rule.source());
            if (raw == null) {
                continue;
            }
            PropertyModel p = property(model, rule.feature(), rule.property());
            if (p == null) {
                continue; // the model has no such property: a mapping written for a richer model
            }
            try {
                JsonValue value = convert(rule, raw, p, payload);
                out.computeIfAbsent(rule.feature(), k -> JsonObject.newBuilder()).set(rule.property(), value);
            } catch (RejectedException e) {
                first = first == null ? e.reason() : first;
                problems.add(rule.feature() + "/" + rule.property() + " (from " + String.join("/", rule.source()) + "): " + e.getMessage());
            }
        }
        if (first != null) {
            throw new RejectedException(first, String.join("; ", problems));
        }
        Map<String, JsonObject> result = new LinkedHashMap<>();
        out.forEach((k, b) -> result.put(k, b.build()));
        return result;
    }

    private static PropertyModel property(ThingModel model, String feature, String property) {
        FeatureModel f = model.features().get(feature);
        return f == null ? null : f.properties().get(property);
    }

    JsonValue convert(MappingRule rule, JsonValue raw, PropertyModel p, JsonObject payload) throws RejectedException {
        JsonValue v = raw;
        if (!rule.values().isEmpty()) {
            JsonValue mapped = rule.values().get(key(raw));
            if (mapped == null) {
                throw new RejectedException(RejectReason.OUT_OF_RANGE, raw + " is not one of " + rule.values().keySet());
            }
            v = mapped;
        }
        try {
            return PropertyValues.coerce(models, p, v, sourceUnit(rule, payload));
        } catch (PropertyValueException e) {
            throw new RejectedException(RejectReason.valueOf(e.kind().name()), e.getMessage());
        }
    }

    /** The unit the device used: read from the payload ({@code TempUnit}) when the rule says so, else the rule's. */
    private static String sourceUnit(MappingRule rule, JsonObject payload) throws RejectedException {
        if (rule.unitFrom() != null) {
            JsonValue u = Sources.resolve(payload, rule.unitFrom());
            if (u != null) {
                String code = rule.units().get(key(u));
                if (code == null) {
                    throw new RejectedException(RejectReason.UNIT, "unit " + u + " is not one of " + rule.units().keySet());
                }
                return code;
            }
        }
        return rule.unit();
    }

    /**
     * The device value for a desired model value, by a command rule: translated through its value
     * table, converted into the device's unit when it has one.
     */
    public JsonValue toDevice(CommandRule rule, PropertyModel p, JsonValue desired) throws RejectedException {
        if (!rule.values().isEmpty()) {
            JsonValue v = rule.values().get(key(desired));
            if (v == null) {
                throw new RejectedException(RejectReason.OUT_OF_RANGE, desired + " cannot be sent: not one of " + rule.values().keySet());
            }
            return v;
        }
        if (desired instanceof JsonNumber n && rule.unit() != null && p != null && p.unit() != null && !rule.unit().equals(p.unit())) {
            try {
                double d = models.convert(n.doubleValue(), p.unit(), rule.unit());
                return JsonNumber.of(PropertyValues.significant(d));
            } catch (UnitConversionException e) {
                throw new RejectedException(RejectReason.UNIT, e.getMessage());
            }
        }
        return desired;
    }

    /** The text a value is looked up by in value tables: a string's content, any other value's JSON. */
    static String key(JsonValue v) {
        return v instanceof JsonString s ? s.value() : v.toString();
    }

}
