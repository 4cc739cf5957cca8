package io.rosetta.binding.mqtt.internal.dialect;

import static io.rosetta.binding.mqtt.internal.dialect.HomieDialect.MAX_NODES;
import static io.rosetta.binding.mqtt.internal.dialect.HomieDialect.MAX_PROPERTIES;
import static io.rosetta.binding.mqtt.internal.dialect.HomieDialect.UNIT_SUFFIX;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link HomieDialect} knows of one Homie device: its nodes, each node's listed properties, each
 * property's attributes, and the values that arrived before the description was complete. Bounded to
 * {@link HomieDialect#MAX_NODES} nodes of {@link HomieDialect#MAX_PROPERTIES} properties; guarded by the dialect.
 */
final class HomieDevice {

    private List<String> nodes;
    /** {@code $properties} of each node that published it. */
    private final Map<String, List<String>> listed = new LinkedHashMap<>();
    /** Attributes and early values, also of properties whose node has not listed them yet (bounded). */
    private final Map<String, Map<String, Property>> properties = new LinkedHashMap<>();

    void nodes(List<String> ids) {
        nodes = List.copyOf(ids);
        listed.keySet().retainAll(nodes);
        properties.keySet().retainAll(nodes);
    }

    void properties(String node, List<String> ids) {
        listed.put(node, List.copyOf(ids));
        properties.computeIfAbsent(node, k -> new LinkedHashMap<>()).keySet().retainAll(ids);
    }

    /** The property's record, {@code null} when its node lists other properties or there are too many. */
    Property property(String node, String property) {
        List<String> ids = listed.get(node);
        if (ids != null && !ids.contains(property)) {
            return null;
        }
        if (nodes != null && !nodes.contains(node)) {
            return null;
        }
        if (!properties.containsKey(node) && properties.size() >= MAX_NODES) {
            return null;
        }
        Map<String, Property> ps = properties.computeIfAbsent(node, k -> new LinkedHashMap<>());
        if (!ps.containsKey(property) && ps.size() >= MAX_PROPERTIES) {
            return null;
        }
        return ps.computeIfAbsent(property, k -> new Property());
    }

    boolean complete() {
        if (nodes == null || nodes.isEmpty()) {
            return false;
        }
        for (String n : nodes) {
            List<String> ids = listed.get(n);
            if (ids == null) {
                return false;
            }
            Map<String, Property> ps = properties.getOrDefault(n, Map.of());
            for (String id : ids) {
                Property p = ps.get(id);
                if (p == null || p.datatype == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code {"<node>":{"<property>":true}}}: what mappings are matched against. */
    JsonObject shape() {
        JsonObject.Builder b = JsonObject.newBuilder();
        listed.forEach((node, ids) -> {
            JsonObject.Builder n = JsonObject.newBuilder();
            ids.forEach(p -> n.set(p, JsonValue.of(true)));
            b.set(node, n.build());
        });
        return b.build();
    }

    /** The values that arrived before the description was complete; one that does not parse is left out. */
    JsonObject values() {
        JsonObject.Builder b = JsonObject.newBuilder();
        properties.forEach((node, ps) -> {
            JsonObject.Builder n = JsonObject.newBuilder();
            ps.forEach((id, p) -> {
                if (p.raw != null) {
                    try {
                        p.value(id, p.raw).forEach(n::set);
                    } catch (RejectedException e) {
                        p.raw = null;
                    }
                }
            });
            JsonObject o = n.build();
            if (!o.isEmpty()) {
                b.set(node, o);
            }
        });
        return b.build();
    }

    String settableNode(String node, String property) {
        for (Map.Entry<String, Map<String, Property>> e : properties.entrySet()) {
            Property p = e.getValue().get(property);
            if (("*".equals(node) || node.equals(e.getKey())) && p != null && p.settable) {
                return e.getKey();
            }
        }
        return null;
    }

    /** One property's attributes. */
    static final class Property {
        String datatype;
        String unit;
        boolean settable;
        String raw;

        void datatype(String text, String topic) throws RejectedException {
            switch (text) {
                case "integer", "float", "boolean", "string", "enum", "color", "datetime", "duration" -> datatype = text;
                default -> throw new RejectedException(RejectReason.OUT_OF_RANGE, "unknown $datatype '" + text + "' in " + topic);
            }
        }

        /** {@code {"<property>":value[,"<property>$unit":unit]}}, the value parsed by its datatype. */
        JsonObject value(String id, String text) throws RejectedException {
            JsonValue v = switch (datatype) {
                case "integer" -> {
                    try {
                        yield JsonNumber.of(Long.parseLong(text));
                    } catch (NumberFormatException e) {
                        throw new RejectedException(RejectReason.WRONG_TYPE, "'" + text + "' is not an integer");
                    }
                }
                case "float" -> {
                    try {
                        double d = Double.parseDouble(text);
                        if (!Double.isFinite(d) || text.isEmpty() || !Character.isDigit(text.charAt(text.length() - 1))) {
                            throw new NumberFormatException(text);
                        }
                        yield JsonNumber.of(d);
                    } catch (NumberFormatException e) {
                        throw new RejectedException(RejectReason.WRONG_TYPE, "'" + text + "' is not a float");
                    }
                }
                case "boolean" -> switch (text) {
                    case "true" -> JsonBoolean.TRUE;
                    case "false" -> JsonBoolean.FALSE;
                    default -> throw new RejectedException(RejectReason.WRONG_TYPE, "'" + text + "' is not a boolean (true or false)");
                };
                default -> JsonValue.of(text);
            };
            JsonObject.Builder b = JsonObject.newBuilder().set(id, v);
            if (unit != null && !unit.isEmpty()) {
                b.set(id + UNIT_SUFFIX, JsonValue.of(unit));
            }
            return b.build();
        }
    }
}
