package io.rosetta.binding.coap.internal.json;

import io.rosetta.core.json.InvalidJsonPointerException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON mappings: those shipped with the semantic models ({@code mappings/coap/json/<name>.json}, listed in
 * {@code mappings/coap/index.txt}) and those of the configured directory ({@code <name>.json}; a name there
 * replaces a shipped one). A malformed file is logged with its name and the problem and skipped.
 */
public final class JsonMappings {

    public static final String INDEX = "mappings/coap/index.txt";
    private static final String FOLDER = "mappings/coap/";
    private static final Logger LOG = LoggerFactory.getLogger(JsonMappings.class);

    private final Map<String, JsonMapping> byName;

    public JsonMappings(List<JsonMapping> mappings) {
        Map<String, JsonMapping> m = new LinkedHashMap<>();
        mappings.forEach(mapping -> m.put(mapping.name(), mapping));
        this.byName = Map.copyOf(m);
    }

    /** The shipped mappings (through the binding's class loader) and those of {@code dir} ({@code null}: none). */
    public static JsonMappings load(ClassLoader loader, Path dir) {
        Map<String, JsonMapping> out = new LinkedHashMap<>();
        try (InputStream index = loader.getResourceAsStream(INDEX)) {
            if (index == null) {
                LOG.error("{} is missing: no shipped JSON mappings are available", INDEX);
            } else {
                BufferedReader r = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String file = line.trim();
                    if (file.isEmpty() || file.startsWith("#")) {
                        continue;
                    }
                    try (InputStream in = loader.getResourceAsStream(FOLDER + file)) {
                        if (in == null) {
                            LOG.error("JSON mapping {} is listed in {} but missing; skipped", FOLDER + file, INDEX);
                            continue;
                        }
                        add(out, FOLDER + file, name(file), in.readAllBytes());
                    }
                }
            }
        } catch (IOException e) {
            LOG.error("The shipped JSON mappings could not be read: {}", e.getMessage());
        }
        if (dir != null) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path f : files) {
                    add(out, f.toString(), name(f.getFileName().toString()), Files.readAllBytes(f));
                }
            } catch (IOException e) {
                LOG.error("JSON mappings cannot be read from {}: {}", dir, e.getMessage());
            }
        }
        return new JsonMappings(new ArrayList<>(out.values()));
    }

    private static void add(Map<String, JsonMapping> out, String where, String name, byte[] content) {
        try {
            out.put(name, parse(name, Json.parse(content)));
        } catch (IllegalArgumentException | ClassCastException e) {
            LOG.error("JSON mapping {} is malformed and skipped: {}", where, e.getMessage());
        }
    }

    private static String name(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        return base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
    }

    /** The mapping called {@code name}. */
    public Optional<JsonMapping> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The default mapping of a model: the one of the highest priority (then the first name). */
    public Optional<JsonMapping> forModel(String model) {
        return byName.values().stream().filter(m -> m.model().equals(model))
                .min(Comparator.comparingInt(JsonMapping::priority).reversed().thenComparing(JsonMapping::name));
    }

    public List<JsonMapping> all() {
        return List.copyOf(byName.values());
    }

    /** Parses one mapping; throws {@link IllegalArgumentException} naming the wrong member. */
    public static JsonMapping parse(String name, JsonValue v) {
        if (!(v instanceof JsonObject o)) {
            throw new IllegalArgumentException("a mapping is a JSON object");
        }
        String model = required(o, "model");
        int priority = o.getOrNull("priority") instanceof JsonNumber n ? (int) n.longValue() : 0;
        List<JsonRule> rules = new ArrayList<>();
        if (o.getOrNull("properties") instanceof JsonArray props) {
            int i = 0;
            for (JsonValue p : props) {
                if (!(p instanceof JsonObject r)) {
                    throw new IllegalArgumentException("properties[" + i + "] is not an object");
                }
                rules.add(rule(r, "properties[" + i + "]"));
                i++;
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("'properties' must list at least one rule");
        }
        return new JsonMapping(name, model, priority, optional(o, "description"), rules);
    }

    private static JsonRule rule(JsonObject r, String where) {
        Map<String, String> units = new LinkedHashMap<>();
        if (r.getOrNull("units") instanceof JsonObject u) {
            u.forEach((k, v) -> units.put(k, text(v, where + ".units." + k)));
        }
        Map<String, JsonValue> values = new LinkedHashMap<>();
        if (r.getOrNull("values") instanceof JsonObject t) {
            t.forEach(values::put);
        }
        String unitFrom = optional(r, "unitFrom");
        if (unitFrom != null && units.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'unitFrom' needs a 'units' table");
        }
        return new JsonRule(pointer(required(r, "source"), where + ".source"), required(r, "feature"), required(r, "property"),
                optional(r, "unit"), unitFrom == null ? null : pointer(unitFrom, where + ".unitFrom"), units, values);
    }

    private static JsonPointer pointer(String text, String where) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException(where + " must be a JSON pointer starting with '/' but was '" + text + "'");
        }
        try {
            return JsonPointer.of(text);
        } catch (InvalidJsonPointerException e) {
            throw new IllegalArgumentException(where + " is not a JSON pointer: " + e.getMessage());
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
        return v == null || v.isNull() ? null : text(v, key);
    }

    private static String text(JsonValue v, String where) {
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new IllegalArgumentException("'" + where + "' must be a string but was " + v);
    }
}
