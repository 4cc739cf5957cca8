package io.rosetta.models.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNull;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import io.rosetta.models.ValidationStats.Reason;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A device model prepared for fast checks: per feature id a hash table of its properties, each
 * with its JSON type as a small code, its bounds as primitives and its enumeration as a set.
 */
final class CompiledModel {

    final ThingModel model;
    private final Map<String, CompiledFeature> features;

    CompiledModel(ThingModel model) {
        this.model = model;
        Map<String, CompiledFeature> f = new HashMap<>();
        for (FeatureModel feature : model.features().values()) {
            f.put(feature.instanceName(), new CompiledFeature(feature));
        }
        this.features = f;
    }

    CompiledFeature feature(String id) {
        return features.get(id);
    }

    static final class CompiledFeature {
        final String modelId;
        private final Map<String, CompiledProperty> properties;

        CompiledFeature(FeatureModel feature) {
            this.modelId = feature.modelId();
            Map<String, CompiledProperty> p = new HashMap<>();
            for (PropertyModel property : feature.properties().values()) {
                p.put(property.name(), new CompiledProperty(property));
            }
            this.properties = p;
        }

        CompiledProperty property(String name) {
            return properties.get(name);
        }
    }

    static final class CompiledProperty {
        static final int ANY = 0;
        static final int NUMBER = 1;
        static final int INTEGER = 2;
        static final int STRING = 3;
        static final int BOOLEAN = 4;
        static final int OBJECT = 5;
        static final int ARRAY = 6;
        static final int NULL = 7;

        final PropertyModel model;
        final int type;
        final double minimum;
        final double maximum;
        final Set<JsonValue> enumeration;
        final boolean readOnly;
        private final String unitSuffix;

        CompiledProperty(PropertyModel p) {
            this.model = p;
            this.type = typeCode(p.type());
            this.minimum = p.minimum() == null ? Double.NEGATIVE_INFINITY : p.minimum();
            this.maximum = p.maximum() == null ? Double.POSITIVE_INFINITY : p.maximum();
            this.enumeration = p.enumeration().isEmpty() ? null : new HashSet<>(p.enumeration());
            this.readOnly = p.readOnly();
            this.unitSuffix = p.unit() == null ? "" : " " + p.unit();
        }

        /** The reason the value breaks this property, or {@code null} when it fits. */
        Reason check(JsonValue v) {
            switch (type) {
                case NUMBER, INTEGER -> {
                    if (!(v instanceof JsonNumber n) || (type == INTEGER && !n.isIntegral())) {
                        return Reason.TYPE;
                    }
                    double d = n.doubleValue();
                    if (d < minimum) {
                        return Reason.MINIMUM;
                    }
                    if (d > maximum) {
                        return Reason.MAXIMUM;
                    }
                }
                case STRING -> {
                    if (!(v instanceof JsonString)) {
                        return Reason.TYPE;
                    }
                }
                case BOOLEAN -> {
                    if (!(v instanceof JsonBoolean)) {
                        return Reason.TYPE;
                    }
                }
                case OBJECT -> {
                    if (!(v instanceof JsonObject)) {
                        return Reason.TYPE;
                    }
                }
                case ARRAY -> {
                    if (!(v instanceof JsonArray)) {
                        return Reason.TYPE;
                    }
                }
                case NULL -> {
                    if (!(v instanceof JsonNull)) {
                        return Reason.TYPE;
                    }
                }
                default -> {
                    // no type declared: any value
                }
            }
            if (enumeration != null && !enumeration.contains(v)) {
                return Reason.ENUM;
            }
            return null;
        }

        /** The sentence after the path, e.g. {@code 150 is above the maximum 125 Cel}. */
        String explain(Reason reason, JsonValue v) {
            String value = show(v);
            return switch (reason) {
                case TYPE -> value + " is not " + article(model.type());
                case MINIMUM -> value + " is below the minimum " + number(minimum) + unitSuffix;
                case MAXIMUM -> value + " is above the maximum " + number(maximum) + unitSuffix;
                case ENUM -> value + " is not one of " + enumText();
                case READ_ONLY -> "the property is read-only and cannot be desired";
                case UNKNOWN_PROPERTY -> "the property is not declared";
            };
        }

        private String enumText() {
            StringBuilder b = new StringBuilder();
            for (JsonValue e : model.enumeration()) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(e);
            }
            return b.toString();
        }

        private static String article(String type) {
            return switch (type) {
                case "integer", "object", "array" -> "an " + type;
                case "null" -> "null";
                default -> "a " + type;
            };
        }

        static String show(JsonValue v) {
            String s = v.toString();
            return s.length() <= 64 ? s : s.substring(0, 61) + "...";
        }

        static String number(double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }

        private static int typeCode(String type) {
            if (type == null) {
                return ANY;
            }
            return switch (type) {
                case "number" -> NUMBER;
                case "integer" -> INTEGER;
                case "string" -> STRING;
                case "boolean" -> BOOLEAN;
                case "object" -> OBJECT;
                case "array" -> ARRAY;
                case "null" -> NULL;
                default -> ANY;
            };
        }
    }
}
