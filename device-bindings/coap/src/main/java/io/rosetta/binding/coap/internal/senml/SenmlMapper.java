package io.rosetta.binding.coap.internal.senml;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.RejectedException;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.PropertyValueException;
import io.rosetta.models.PropertyValues;
import io.rosetta.models.ThingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Maps resolved SenML records onto the properties of a device's model. A record's name, after its
 * last {@code ':'} (the base name usually carries the device's URN or endpoint name there), is
 * {@code <feature>/<property>}, or {@code <feature>} for its {@code value} property, or one of the
 * well-known SenML names of {@code senml-names.properties} ({@code temp}, {@code lat}, ...). The unit is
 * translated from the SenML units registry to UCUM where the two differ ({@code %RH}, {@code lon}) and
 * converted into the model property's unit with {@link ModelRegistry#convert}; the value is checked
 * against the model (type, integer, range, enumeration). One bad record refuses the whole pack. Of
 * several records of one property (a time series) the latest wins.
 */
public final class SenmlMapper {

    private static final Map<String, String> NAMES = load("senml-names.properties");
    private static final Map<String, String> UNITS = load("senml-units.properties");

    private final ModelRegistry models;

    public SenmlMapper(ModelRegistry models) {
        this.models = models;
    }

    /** The model properties the records carry, by feature id. */
    public Map<String, JsonObject> map(String modelId, List<SenmlRecord> records) throws RejectedException {
        ThingModel model = models.model(modelId).orElseThrow(() -> new RejectedException(RejectReason.REFUSED,
                "the model " + modelId + " is not loaded"));
        Map<String, Map<String, JsonValue>> values = new LinkedHashMap<>();
        Map<String, Double> times = new HashMap<>();
        List<String> problems = new ArrayList<>();
        RejectReason first = null;
        for (SenmlRecord r : records) {
            try {
                String[] target = target(r.name());
                PropertyModel p = property(model, target[0], target[1]);
                if (p == null) {
                    throw new RejectedException(RejectReason.UNKNOWN_PROPERTY, "the model " + modelId + " has no property "
                            + target[0] + "/" + target[1]);
                }
                JsonValue v = convert(r, p);
                String key = target[0] + "/" + target[1];
                Double seen = times.get(key);
                if (seen == null || r.time() >= seen) {
                    times.put(key, r.time());
                    values.computeIfAbsent(target[0], k -> new LinkedHashMap<>()).put(target[1], v);
                }
            } catch (RejectedException e) {
                first = first == null ? e.reason() : first;
                problems.add(r.name() + ": " + e.getMessage());
            }
        }
        if (first != null) {
            throw new RejectedException(first, String.join("; ", problems));
        }
        Map<String, JsonObject> out = new LinkedHashMap<>();
        values.forEach((feature, props) -> {
            JsonObject.Builder b = JsonObject.newBuilder();
            props.forEach(b::set);
            out.put(feature, b.build());
        });
        return out;
    }

    /** {feature, property} of a resolved SenML name (or of a resource's path or resource type). */
    public static String[] target(String name) {
        String local = name.substring(name.lastIndexOf(':') + 1);
        String alias = NAMES.get(local);
        if (alias != null) {
            local = alias;
        }
        int slash = local.indexOf('/');
        if (slash < 0) {
            return new String[] {local, "value"};
        }
        return new String[] {local.substring(0, slash), local.substring(slash + 1)};
    }

    /** The model property of {@code feature/property}, or {@code null}. */
    public static PropertyModel property(ThingModel model, String feature, String property) {
        FeatureModel f = model.features().get(feature);
        return f == null ? null : f.properties().get(property);
    }

    private JsonValue convert(SenmlRecord r, PropertyModel p) throws RejectedException {
        JsonValue v = r.value();
        if (v == null) {
            v = JsonNumber.of(r.sum());
        }
        String from = ucum(r.unit());
        if (from != null && p.unit() == null && !"1".equals(from) && v instanceof JsonNumber
                && ("number".equals(p.type()) || "integer".equals(p.type()))) {
            throw new RejectedException(RejectReason.UNIT, "unit " + r.unit() + " given for a property without a unit");
        }
        try {
            return PropertyValues.coerce(models, p, v, from);
        } catch (PropertyValueException e) {
            throw new RejectedException(RejectReason.valueOf(e.kind().name()), e.getMessage());
        }
    }

    /** The UCUM code of a SenML unit ({@code null} stays {@code null}). */
    static String ucum(String senmlUnit) {
        return senmlUnit == null ? null : UNITS.getOrDefault(senmlUnit, senmlUnit);
    }

    private static Map<String, String> load(String resource) {
        Properties p = new Properties();
        try (InputStream in = SenmlMapper.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the bundle");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString().trim()));
        return Map.copyOf(m);
    }
}
