package io.rosetta.binding.coap.internal.json;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.PropertyValueException;
import io.rosetta.models.PropertyValues;
import io.rosetta.models.ThingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a device's plain JSON onto its model through a {@link JsonMapping}: each rule's value is found by its
 * JSON pointer, translated through the rule's value table, converted into the model property's unit and
 * checked against the model ({@link PropertyValues}). Members no rule names are ignored. Malformed JSON,
 * a payload that is not an object, a wrong type, a value out of range or a unit that does not convert
 * refuses the whole payload, so that a twin never takes half of it; so does a payload with none of the
 * mapping's members.
 */
public final class JsonReadingMapper {

    private final ModelRegistry models;

    public JsonReadingMapper(ModelRegistry models) {
        this.models = models;
    }

    /** The model properties the payload carries, by feature id. */
    public Map<String, JsonObject> map(JsonMapping mapping, byte[] payload) throws RejectedException {
        JsonValue parsed;
        try {
            parsed = Json.parse(payload == null ? new byte[0] : payload);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        }
        if (!(parsed instanceof JsonObject root)) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a JSON reading is an object, not " + parsed.typeName());
        }
        ThingModel model = models.model(mapping.model()).orElseThrow(() -> new RejectedException(RejectReason.REFUSED,
                "the model " + mapping.model() + " is not loaded"));
        Map<String, JsonObject.Builder> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        RejectReason first = null;
        for (JsonRule rule : mapping.rules()) {
            JsonValue raw = resolve(root, rule.source());
            if (raw == null) {
                continue;
            }
            try {
                PropertyModel p = property(model, rule.feature(), rule.property());
                if (p == null) {
                    throw new RejectedException(RejectReason.UNKNOWN_PROPERTY, "the model " + mapping.model() + " has no property "
                            + rule.feature() + "/" + rule.property());
                }
                out.computeIfAbsent(rule.feature(), k -> JsonObject.newBuilder()).set(rule.property(), convert(rule, raw, p, root));
            } catch (RejectedException e) {
                first = first == null ? e.reason() : first;
                problems.add(rule.source() + " (" + rule.feature() + "/" + rule.property() + "): " + e.getMessage());
            }
        }
        if (first != null) {
            throw new RejectedException(first, String.join("; ", problems));
        }
        if (out.isEmpty()) {
            List<String> sources = mapping.rules().stream().map(r -> r.source().toString()).distinct().toList();
            throw new RejectedException(RejectReason.UNKNOWN_PROPERTY, "the reading has none of the members the mapping "
                    + mapping.name() + " reads: " + String.join(", ", sources));
        }
        Map<String, JsonObject> result = new LinkedHashMap<>();
        out.forEach((k, b) -> result.put(k, b.build()));
        return result;
    }

    private JsonValue convert(JsonRule rule, JsonValue raw, PropertyModel p, JsonObject root) throws RejectedException {
        JsonValue v = raw;
        if (!rule.values().isEmpty()) {
            v = rule.values().get(key(raw));
            if (v == null) {
                throw new RejectedException(RejectReason.OUT_OF_RANGE, raw + " is not one of " + rule.values().keySet());
            }
        }
        try {
            return PropertyValues.coerce(models, p, v, unit(rule, root));
        } catch (PropertyValueException e) {
            throw new RejectedException(RejectReason.valueOf(e.kind().name()), e.getMessage());
        }
    }

    /** The unit the device used: read from the payload when the rule says so (and the payload has it), else the rule's. */
    private static String unit(JsonRule rule, JsonObject root) throws RejectedException {
        if (rule.unitFrom() != null) {
            JsonValue u = resolve(root, rule.unitFrom());
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

    private static PropertyModel property(ThingModel model, String feature, String property) {
        FeatureModel f = model.features().get(feature);
        return f == null ? null : f.properties().get(property);
    }

    /** The value at a pointer through objects and arrays; {@code null} when absent (JSON null counts as absent). */
    static JsonValue resolve(JsonValue root, JsonPointer pointer) {
        JsonValue node = root;
        for (int i = 0; i < pointer.size() && node != null; i++) {
            String s = pointer.get(i);
            if (node instanceof JsonObject o) {
                node = o.getOrNull(s);
            } else if (node instanceof JsonArray a && s.matches("0|[1-9][0-9]{0,8}") && Integer.parseInt(s) < a.size()) {
                node = a.get(Integer.parseInt(s));
            } else {
                node = null;
            }
        }
        return node == null || node.isNull() ? null : node;
    }

    /** The text a value is looked up by in value and unit tables: a string's content, any other value's JSON. */
    private static String key(JsonValue v) {
        return v instanceof JsonString s ? s.value() : v.toString();
    }
}
