package io.rosetta.binding.mqtt.internal.mapping;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialect mapping files shipped with the semantic models ({@code mappings/mqtt/<dialect>/<device type>.json},
 * listed in {@code mappings/mqtt/index.txt}), read once. A malformed file is logged with its name and
 * the problem and skipped; the others still load.
 */
public final class MappingCatalog {

    public static final String INDEX = "mappings/mqtt/index.txt";

    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);

    private final Map<String, List<DeviceMapping>> byDialect;

    public MappingCatalog(List<DeviceMapping> mappings) {
        Map<String, List<DeviceMapping>> m = new LinkedHashMap<>();
        for (DeviceMapping d : mappings) {
            m.computeIfAbsent(d.dialect(), k -> new ArrayList<>()).add(d);
        }
        m.replaceAll((k, v) -> v.stream().sorted(Comparator.comparingInt(DeviceMapping::priority).reversed()).toList());
        this.byDialect = Map.copyOf(m);
    }

    /** Reads the shipped mappings through a class loader (the binding's own). */
    public static MappingCatalog load(ClassLoader loader) {
        List<DeviceMapping> out = new ArrayList<>();
        try (InputStream index = loader.getResourceAsStream(INDEX)) {
            if (index == null) {
                LOG.error("{} is missing: no dialect mappings are available", INDEX);
                return new MappingCatalog(List.of());
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String name = line.trim();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                String resource = "mappings/mqtt/" + name;
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        LOG.error("Mapping file {} is listed in {} but missing; skipped", resource, INDEX);
                        continue;
                    }
                    out.add(parse(name, Json.parse(in.readAllBytes()).asObject()));
                } catch (IllegalArgumentException | ClassCastException e) {
                    LOG.error("Mapping file {} is malformed and skipped: {}", resource, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Dialect mappings could not be read: {}", e.getMessage());
        }
        return new MappingCatalog(out);
    }

    public List<DeviceMapping> mappings(String dialect) {
        return byDialect.getOrDefault(dialect, List.of());
    }

    public List<DeviceMapping> all() {
        return byDialect.values().stream().flatMap(List::stream).toList();
    }

    /** Parses one mapping file; throws {@link IllegalArgumentException} naming the wrong member. */
    public static DeviceMapping parse(String id, JsonObject o) {
        String dialect = required(o, "dialect");
        String model = required(o, "model");
        int priority = o.getOrNull("priority") instanceof JsonNumber n ? (int) n.longValue() : 0;
        String message = optional(o, "message");
        List<List<String>> all = new ArrayList<>();
        List<List<String>> any = new ArrayList<>();
        if (o.getOrNull("match") instanceof JsonObject match) {
            pointers(match.getOrNull("all"), all);
            pointers(match.getOrNull("any"), any);
        }
        List<MappingRule> rules = new ArrayList<>();
        if (o.getOrNull("properties") instanceof JsonArray props) {
            for (JsonValue v : props) {
                rules.add(rule(v.asObject()));
            }
        }
        List<CommandRule> commands = new ArrayList<>();
        if (o.getOrNull("commands") instanceof JsonArray cmds) {
            for (JsonValue v : cmds) {
                JsonObject c = v.asObject();
                commands.add(new CommandRule(required(c, "feature"), required(c, "property"), required(c, "target"),
                        values(c.getOrNull("values")), optional(c, "unit"), optional(c, "method")));
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("'properties' must list at least one rule");
        }
        return new DeviceMapping(id, dialect, model, priority, message, all, any, rules, commands);
    }

    public static MappingRule rule(JsonObject r) {
        Map<String, String> units = new LinkedHashMap<>();
        if (r.getOrNull("units") instanceof JsonObject u) {
            u.forEach((k, v) -> units.put(k, text(v)));
        }
        String unitFrom = optional(r, "unitFrom");
        return new MappingRule(Sources.parse(required(r, "source")), required(r, "feature"), required(r, "property"),
                optional(r, "unit"), unitFrom == null ? null : Sources.parse(unitFrom), units, values(r.getOrNull("values")),
                optional(r, "message"));
    }

    private static Map<String, JsonValue> values(JsonValue v) {
        Map<String, JsonValue> out = new LinkedHashMap<>();
        if (v instanceof JsonObject o) {
            o.forEach(out::put);
        }
        return out;
    }

    private static void pointers(JsonValue v, List<List<String>> out) {
        if (v instanceof JsonArray a) {
            for (JsonValue p : a) {
                out.add(Sources.parse(text(p)));
            }
        }
    }

    private static String required(JsonObject o, String key) {
        String s = optional(o, key);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' is required");
        }
        return s;
    }

    private static String optional(JsonObject o, String key) {
        JsonValue v = o.getOrNull(key);
        return v == null || v.isNull() ? null : text(v);
    }

    private static String text(JsonValue v) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new IllegalArgumentException("expected a string but found " + v);
    }
}
