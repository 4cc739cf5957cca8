package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.eclipse.tahu.protobuf.SparkplugBProto;

/**
 * Sparkplug B metrics as the mappings see them. A BIRTH defines its metrics ({@link Definitions}: name,
 * alias, data type, the {@code engUnit} property); DATA messages refer to them by alias or name. Values
 * are handed to the mapping as a JSON tree whose members are the metric names split at {@code /}
 * ({@code Sensors/Temperature} → {@code {"Sensors":{"Temperature":21.5,"Temperature$unit":"°C"}}}), the unit
 * next to the value; Float values keep the decimal the device meant ({@code 21.5f} is 21.5, not 21.5000004).
 * Historical, null and structured values (DataSet, Template, File, Bytes, arrays) are not mapped.
 */
final class SparkplugMetrics {

    static final String UNIT_SUFFIX = "$unit";
    /** The metric property that carries a metric's engineering unit (Ignition and most edge nodes). */
    static final String ENG_UNIT = "engUnit";
    static final int MAX_METRICS = 10_000;

    // Sparkplug B data type codes (Tahu's MetricDataType.toIntValue())
    private static final int T_INT8 = 1;
    private static final int T_INT16 = 2;
    private static final int T_INT32 = 3;
    private static final int T_INT64 = 4;
    private static final int T_UINT8 = 5;
    private static final int T_UINT16 = 6;
    private static final int T_UINT32 = 7;
    private static final int T_UINT64 = 8;
    private static final int T_FLOAT = 9;
    private static final int T_DOUBLE = 10;
    private static final int T_BOOLEAN = 11;
    private static final int T_STRING = 12;
    private static final int T_DATETIME = 13;
    private static final int T_TEXT = 14;
    private static final int T_UUID = 15;

    private SparkplugMetrics() {
    }

    /** A metric as its BIRTH defined it. */
    record MetricDef(String name, Long alias, MetricDataType type, String unit) {
    }

    /** The metrics one BIRTH defined, by name and by alias, with their data types for Tahu's decoder. */
    static final class Definitions {
        private final Map<String, MetricDef> byName = new LinkedHashMap<>();
        private final Map<Long, MetricDef> byAlias = new LinkedHashMap<>();
        private final MetricDataTypeMap types = new MetricDataTypeMap();

        /** Reads the metrics of a BIRTH: every one needs a name and a data type; aliases must be unique. */
        static Definitions of(List<Metric> metrics) throws RejectedException {
            if (metrics.size() > MAX_METRICS) {
                throw new RejectedException(RejectReason.OUT_OF_RANGE, "the BIRTH defines " + metrics.size() + " metrics, more than " + MAX_METRICS);
            }
            Definitions d = new Definitions();
            for (Metric m : metrics) {
                if (m == null || !m.hasName() || m.getName().isEmpty() || m.getDataType() == null || MetricDataType.Unknown.equals(m.getDataType())) {
                    throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "every metric of a BIRTH needs a name and a data type");
                }
                MetricDef def = new MetricDef(m.getName(), m.hasAlias() ? m.getAlias() : null, m.getDataType(), unit(m.getProperties()));
                d.byName.put(def.name(), def);
                d.types.addMetricDataType(def.name(), def.type());
                if (def.alias() != null) {
                    MetricDef other = d.byAlias.put(def.alias(), def);
                    if (other != null && !other.name().equals(def.name())) {
                        throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "the BIRTH gives the alias " + def.alias() + " to '" + other.name()
                                + "' and to '" + def.name() + "'");
                    }
                    d.types.addMetricDataType(def.alias(), def.type());
                }
            }
            return d;
        }

        MetricDataTypeMap types() {
            return types;
        }

        int size() {
            return byName.size();
        }

        MetricDef named(String name) {
            return byName.get(name);
        }

        /**
         * Refuses a DATA message that refers to a metric the BIRTH did not define (an alias it did not
         * give, a name it did not list), before Tahu's decoder needs the metric's data type.
         */
        void check(SparkplugBProto.Payload proto, String whose) throws RejectedException {
            for (SparkplugBProto.Payload.Metric m : proto.getMetricsList()) {
                if (m.hasName() && !m.getName().isEmpty()) {
                    if (!byName.containsKey(m.getName())) {
                        throw new RejectedException(RejectReason.UNKNOWN_ALIAS, "the metric '" + m.getName() + "' is not in the BIRTH of " + whose);
                    }
                } else if (!m.hasAlias()) {
                    throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a metric of " + whose + " has neither a name nor an alias");
                } else if (!byAlias.containsKey(m.getAlias())) {
                    throw new RejectedException(RejectReason.UNKNOWN_ALIAS, "the alias " + m.getAlias() + " is not defined by the BIRTH of " + whose);
                }
            }
        }

        /** The definition of a decoded metric, by its name or else its alias. */
        MetricDef of(Metric m) {
            return m.hasName() && !m.getName().isEmpty() ? byName.get(m.getName()) : m.hasAlias() ? byAlias.get(m.getAlias()) : null;
        }

        /** The first metric whose name, split at {@code /}, matches the pointer's segments ({@code *}: any one segment). */
        MetricDef resolve(List<String> segments) {
            for (MetricDef def : byName.values()) {
                String[] parts = def.name().split("/", -1);
                if (parts.length != segments.size()) {
                    continue;
                }
                boolean match = true;
                for (int i = 0; i < parts.length && match; i++) {
                    match = "*".equals(segments.get(i)) || segments.get(i).equals(parts[i]);
                }
                if (match) {
                    return def;
                }
            }
            return null;
        }

        /** The shape mappings choose a model by: every metric name as a pointer to {@code true}. */
        JsonObject shape() {
            Tree tree = new Tree();
            for (MetricDef def : byName.values()) {
                tree.put(def.name(), JsonBoolean.TRUE, null);
            }
            return tree.build();
        }
    }

    /** The values of decoded metrics as the JSON tree mappings read, with each metric's unit next to it. */
    static JsonObject values(List<Metric> metrics, Definitions definitions) {
        Tree tree = new Tree();
        for (Metric m : metrics) {
            MetricDef def = definitions.of(m);
            if (def == null || Boolean.TRUE.equals(m.getIsHistorical()) || Boolean.TRUE.equals(m.getIsNull()) || m.getValue() == null) {
                continue;
            }
            JsonValue v = json(def.type(), m.getValue());
            if (v != null) {
                String unit = unit(m.getProperties());
                tree.put(def.name(), v, unit != null ? unit : def.unit());
            }
        }
        return tree.build();
    }

    /** String metrics of the BIRTH under {@code Properties/} (hardware make, model, firmware), for the twin's attributes. */
    static JsonObject properties(List<Metric> metrics) {
        JsonObject.Builder b = JsonObject.newBuilder();
        int n = 0;
        for (Metric m : metrics) {
            if (m != null && m.hasName() && m.getName().startsWith("Properties/") && m.getValue() instanceof String s && s.length() <= 256
                    && n < 32) {
                b.set(m.getName().substring("Properties/".length()), s);
                n++;
            }
        }
        return b.build();
    }

    private static String unit(PropertySet properties) {
        if (properties == null) {
            return null;
        }
        PropertyValue<?> v = properties.getPropertyValue(ENG_UNIT);
        return v != null && v.getValue() instanceof String s && !s.isBlank() ? s : null;
    }

    /** A metric value as JSON; {@code null} for the types no model property takes. */
    static JsonValue json(MetricDataType type, Object value) {
        switch (type.toIntValue()) {
            case T_BOOLEAN:
                return value instanceof Boolean b ? JsonValue.of(b) : null;
            case T_INT8:
            case T_INT16:
            case T_INT32:
            case T_INT64:
            case T_UINT8:
            case T_UINT16:
            case T_UINT32:
                return value instanceof Number n ? JsonNumber.of(n.longValue()) : null;
            case T_UINT64:
                return value instanceof BigInteger b ? JsonNumber.of(new BigDecimal(b)) : null;
            case T_FLOAT:
                if (value instanceof Float f) {
                    // the shortest decimal that is this float: what the device meant
                    return Float.isFinite(f) ? JsonNumber.of(new BigDecimal(Float.toString(f))) : JsonValue.of(f.toString());
                }
                return null;
            case T_DOUBLE:
                if (value instanceof Double d) {
                    return Double.isFinite(d) ? JsonNumber.of(d) : JsonValue.of(d.toString());
                }
                return null;
            case T_STRING:
            case T_TEXT:
            case T_UUID:
                return value instanceof String s ? JsonValue.of(s) : null;
            case T_DATETIME:
                return value instanceof Date d ? JsonValue.of(d.toInstant().toString()) : null;
            default:
                return null;
        }
    }

    /** A model value as the Java value Tahu encodes for a metric of {@code type} (range-checked). */
    static Object toDevice(MetricDataType type, JsonValue value, String metric) throws RejectedException {
        switch (type.toIntValue()) {
            case T_BOOLEAN:
                if (value instanceof JsonBoolean b) {
                    return b.value();
                }
                throw new RejectedException(RejectReason.WRONG_TYPE, value + " is not a boolean for the Boolean metric '" + metric + "'");
            case T_STRING:
            case T_TEXT:
                if (value instanceof JsonString s) {
                    return s.value();
                }
                throw new RejectedException(RejectReason.WRONG_TYPE, value + " is not a string for the metric '" + metric + "'");
            case T_FLOAT:
                return (float) number(value, metric).doubleValue();
            case T_DOUBLE:
                return number(value, metric).doubleValue();
            case T_INT8:
                return (byte) integer(value, metric, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case T_INT16:
                return (short) integer(value, metric, Short.MIN_VALUE, Short.MAX_VALUE);
            case T_UINT8:
                return (short) integer(value, metric, 0, 255);
            case T_INT32:
                return (int) integer(value, metric, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case T_UINT16:
                return (int) integer(value, metric, 0, 65_535);
            case T_INT64:
                return integer(value, metric, Long.MIN_VALUE, Long.MAX_VALUE);
            case T_UINT32:
                return integer(value, metric, 0, 4_294_967_295L);
            case T_UINT64:
                return BigInteger.valueOf(integer(value, metric, 0, Long.MAX_VALUE));
            default:
                throw new RejectedException(RejectReason.WRONG_TYPE, "the " + type + " metric '" + metric + "' cannot be set");
        }
    }

    private static JsonNumber number(JsonValue value, String metric) throws RejectedException {
        if (value instanceof JsonNumber n) {
            return n;
        }
        throw new RejectedException(RejectReason.WRONG_TYPE, value + " is not a number for the metric '" + metric + "'");
    }

    private static long integer(JsonValue value, String metric, long min, long max) throws RejectedException {
        double d = number(value, metric).doubleValue();
        if (d != Math.rint(d)) {
            throw new RejectedException(RejectReason.WRONG_TYPE, value + " is not an integer for the metric '" + metric + "'");
        }
        if (d < min || d > max) {
            throw new RejectedException(RejectReason.OUT_OF_RANGE, value + " does not fit the metric '" + metric + "' (" + min + "…" + max + ")");
        }
        return (long) d;
    }

    /** Metric names split at {@code /} into nested members, built without copying objects per metric. */
    private static final class Tree {
        private final Map<String, Object> root = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        void put(String name, JsonValue value, String unit) {
            String[] parts = name.split("/", -1);
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                Object child = node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
                if (!(child instanceof Map)) {
                    return; // "A" is a value and "A/B" a metric too: the deeper one cannot be mapped
                }
                node = (Map<String, Object>) child;
            }
            String leaf = parts[parts.length - 1];
            if (node.get(leaf) instanceof Map) {
                return;
            }
            node.put(leaf, value);
            if (unit != null) {
                node.put(leaf + UNIT_SUFFIX, JsonValue.of(unit));
            }
        }

        JsonObject build() {
            return build(root);
        }

        @SuppressWarnings("unchecked")
        private static JsonObject build(Map<String, Object> node) {
            JsonObject.Builder b = JsonObject.newBuilder();
            for (Map.Entry<String, Object> e : node.entrySet()) {
                b.set(e.getKey(), e.getValue() instanceof Map<?, ?> m ? build((Map<String, Object>) m) : (JsonValue) e.getValue());
            }
            return b.build();
        }
    }
}
