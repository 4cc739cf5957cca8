package io.rosetta.api.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.ActionModel;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ModelRegistry} over some of the Thing Models that Rosetta ships (rosetta-semantic-models),
 * read with the few rules these files need (properties, tm:submodel links), so that the API's WoT
 * resources are tested against real models without the model bundle's runtime.
 */
final class ShippedModels implements ModelRegistry {

    private final Map<String, ThingModel> models = new LinkedHashMap<>();

    ShippedModels(String... files) {
        Map<String, JsonObject> sources = new LinkedHashMap<>();
        for (String file : files) {
            JsonObject source = read(file);
            sources.put(string(source, "id"), source);
        }
        for (JsonObject source : sources.values()) {
            Map<String, FeatureModel> features = new LinkedHashMap<>();
            for (JsonValue l : source.get("links").map(v -> (JsonArray) v).orElse(JsonArray.empty())) {
                JsonObject link = (JsonObject) l;
                if (string(link, "rel").equals("tm:submodel")) {
                    JsonObject sub = sources.get(string(link, "href"));
                    features.put(string(link, "instanceName"),
                            new FeatureModel(string(link, "instanceName"), string(sub, "id"), string(sub, "title"), properties(sub), Map.of()));
                }
            }
            ThingModel model = new ThingModel(string(source, "id"), string(source, "title"), string(source, "description"), properties(source),
                    features, Map.<String, ActionModel>of(), source);
            models.put(model.id(), model);
        }
    }

    private static Map<String, PropertyModel> properties(JsonObject source) {
        Map<String, PropertyModel> out = new LinkedHashMap<>();
        source.get("properties").ifPresent(v -> ((JsonObject) v).forEach((name, p) -> {
            JsonObject o = (JsonObject) p;
            out.put(name, new PropertyModel(name, string(o, "type"), string(o, "unit"), number(o, "minimum"), number(o, "maximum"),
                    o.get("enum").map(e -> ((JsonArray) e).values()).orElse(List.of()), o.get("readOnly").map(r -> r.toString().equals("true")).orElse(false),
                    string(o, "description")));
        }));
        return out;
    }

    private static JsonObject read(String file) {
        try (InputStream in = ShippedModels.class.getResourceAsStream("/models/" + file)) {
            return (JsonObject) Json.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String string(JsonObject o, String key) {
        return o.get(key).map(v -> ((JsonString) v).value()).orElse(null);
    }

    private static Double number(JsonObject o, String key) {
        return o.get(key).map(v -> ((JsonNumber) v).doubleValue()).orElse(null);
    }

    @Override
    public Optional<ThingModel> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    @Override
    public Collection<ThingModel> models() {
        return models.values();
    }

    @Override
    public double convert(double value, String fromUnit, String toUnit) {
        throw new UnsupportedOperationException("not needed by the API");
    }
}
