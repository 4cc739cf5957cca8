package io.rosetta.binding.virtual.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Thing Models shipped in rosetta-semantic-models, read from the test class path into the
 * model registry's records (properties and {@code tm:submodel} features), for tests of the
 * simulation against the real models.
 */
final class ShippedModels {

    static final List<String> DEVICE_MODELS = List.of("rosetta:temperature-humidity-sensor:1.0.0", "rosetta:smart-plug:1.0.0",
            "rosetta:contact-sensor:1.0.0", "rosetta:motion-sensor:1.0.0", "rosetta:air-quality-sensor:1.0.0",
            "rosetta:gps-tracker:1.0.0");

    private ShippedModels() {
    }

    static ThingModel model(String id) {
        JsonObject source = read(id);
        Map<String, FeatureModel> features = new LinkedHashMap<>();
        JsonValue links = source.getOrNull("links");
        if (links instanceof JsonArray a) {
            for (JsonValue l : a) {
                JsonObject link = l.asObject();
                if ("tm:submodel".equals(string(link, "rel"))) {
                    String href = string(link, "href");
                    JsonObject sub = read(href);
                    String name = string(link, "instanceName");
                    features.put(name, new FeatureModel(name, href, string(sub, "title"), properties(sub), Map.of()));
                }
            }
        }
        return new ThingModel(id, string(source, "title"), string(source, "description"), properties(source), features, Map.of(), source);
    }

    private static Map<String, PropertyModel> properties(JsonObject model) {
        Map<String, PropertyModel> out = new LinkedHashMap<>();
        JsonValue props = model.getOrNull("properties");
        if (props instanceof JsonObject o) {
            for (int i = 0; i < o.size(); i++) {
                JsonObject p = o.valueAt(i).asObject();
                List<JsonValue> enumeration = new ArrayList<>();
                if (p.getOrNull("enum") instanceof JsonArray e) {
                    e.forEach(enumeration::add);
                }
                out.put(o.keyAt(i), new PropertyModel(o.keyAt(i), string(p, "type"), string(p, "unit"), number(p, "minimum"),
                        number(p, "maximum"), enumeration, p.getOrNull("readOnly") != null && p.getOrNull("readOnly").equals(JsonValue.of(true)),
                        string(p, "description")));
            }
        }
        return out;
    }

    private static JsonObject read(String id) {
        String[] parts = id.split(":");
        String resource = "models/" + parts[1] + "-" + parts[2] + ".tm.jsonld";
        try (InputStream in = ShippedModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path");
            }
            return Json.parse(in).asObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String string(JsonObject o, String key) {
        return o.getOrNull(key) instanceof JsonString s ? s.value() : null;
    }

    private static Double number(JsonObject o, String key) {
        return o.getOrNull(key) instanceof JsonNumber n ? n.doubleValue() : null;
    }
}
