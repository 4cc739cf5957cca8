package io.rosetta.binding.virtual.internal;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one simulated device: a value for every simulated property of every feature of its
 * model. Not thread-safe; its handler serializes access.
 */
final class DeviceSimulation {

    private final ThingModel model;
    private final ValueGenerator generator;
    private final Map<String, Map<String, JsonValue>> state = new TreeMap<>();

    DeviceSimulation(ThingModel model, ValueGenerator generator) {
        this.model = model;
        this.generator = generator;
        for (FeatureModel f : new TreeMap<>(model.features()).values()) {
            Map<String, JsonValue> values = new LinkedHashMap<>();
            for (PropertyModel p : new TreeMap<>(f.properties()).values()) {
                JsonValue v = generator.initial(p);
                if (v != null) {
                    values.put(p.name(), v);
                }
            }
            if (!values.isEmpty()) {
                state.put(f.instanceName(), values);
            }
        }
    }

    /** The features that have simulated properties. */
    Iterable<String> features() {
        return state.keySet();
    }

    boolean isEmpty() {
        return state.isEmpty();
    }

    /** Moves every measured property of a feature one step and returns all its values. */
    JsonObject step(String featureId) {
        Map<String, JsonValue> values = state.get(featureId);
        FeatureModel f = model.features().get(featureId);
        if (values == null || f == null) {
            return JsonObject.empty();
        }
        JsonObject.Builder out = JsonObject.newBuilder();
        for (Map.Entry<String, JsonValue> e : values.entrySet()) {
            PropertyModel p = f.properties().get(e.getKey());
            JsonValue next = generator.next(p, e.getValue());
            e.setValue(next);
            out.set(e.getKey(), next);
        }
        return out.build();
    }

    /** The current values of a feature. */
    JsonObject values(String featureId) {
        Map<String, JsonValue> values = state.get(featureId);
        JsonObject.Builder out = JsonObject.newBuilder();
        if (values != null) {
            values.forEach(out::set);
        }
        return out.build();
    }

    /**
     * Takes the desired values the simulated device can take: properties of the feature that are
     * writable and whose value the model allows. Returns them (the device's confirmation, to be
     * reported); the rest is ignored, as a real device ignores what it cannot do.
     */
    JsonObject applyDesired(String featureId, JsonObject desired) {
        FeatureModel f = model.features().get(featureId);
        if (f == null) {
            return JsonObject.empty();
        }
        JsonObject.Builder accepted = JsonObject.newBuilder();
        for (int i = 0; i < desired.size(); i++) {
            String key = desired.keyAt(i);
            JsonValue value = desired.valueAt(i);
            PropertyModel p = f.properties().get(key);
            if (p != null && !p.readOnly() && ValueGenerator.accepts(p, value)) {
                state.computeIfAbsent(featureId, k -> new LinkedHashMap<>()).put(key, value);
                accepted.set(key, value);
            }
        }
        return accepted.build();
    }
}
