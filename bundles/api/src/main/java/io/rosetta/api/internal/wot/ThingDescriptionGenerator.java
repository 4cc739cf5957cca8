package io.rosetta.api.internal.wot;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Generates W3C WoT Thing Descriptions (TD 1.1) from Thing Models, the way Eclipse Ditto's WoT
 * integration lays them out: the thing's TD describes its attributes as properties and links to one
 * TD per feature ({@code "rel": "item"}); a feature's TD describes its properties. Forms point at
 * this API's resources, relative to the TD's {@code base}. Reading a feature property reads the
 * reported value ({@code properties/..}); writing one sets the wanted value
 * ({@code desiredProperties/..}), which the device's binding then applies. Actions are left out
 * until the API has a messages resource to invoke them through.
 */
public final class ThingDescriptionGenerator {

    private static final JsonValue DEFAULT_CONTEXT = JsonArray.of(JsonString.of("https://www.w3.org/2022/wot/td/v1.1"),
            JsonObject.of("ucum", JsonString.of("http://unitsofmeasure.org/ucum#")));
    private static final String JSON = "application/json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private ThingDescriptionGenerator() {
    }

    /** The TD of a twin from the model its definition names. */
    public static JsonObject thing(Thing thing, String base, Function<String, Optional<ThingModel>> models) {
        ThingModel model = modelOf(thing, models);
        JsonObject.Builder td = header(model.source(), "urn:" + thing.thingId(), model.title() != null ? model.title() : thing.thingId().name(),
                model.description(), base);
        JsonArray links = JsonArray.of(link("type", model.id(), ThingDescriptions.TM_MEDIA_TYPE));
        for (String featureId : model.features().keySet()) {
            links = links.add(link("item", "features/" + segment(featureId), ThingDescriptions.TD_MEDIA_TYPE));
        }
        td.set("links", links);
        td.set("forms", allPropertiesForms("attributes"));
        td.set("properties", properties(model.properties(), model.source(), "attributes/", "attributes/"));
        return security(td).build();
    }

    /** The TD of one feature of a twin: from the thing model's submodel of that name, else from the feature's own definition. */
    public static JsonObject feature(Thing thing, String featureId, String base, Function<String, Optional<ThingModel>> models) {
        Feature feature = thing.feature(featureId).orElseThrow(() -> new TwinException(404, "things:feature.notfound",
                "The Feature with ID '" + featureId + "' on the Thing with ID '" + thing.thingId()
                        + "' could not be found or the requester had insufficient permissions to access it.",
                "Check if the ID of your requested Thing and Feature was correct and you have sufficient permissions."));
        String modelId = null;
        Map<String, PropertyModel> properties = null;
        String title = null;
        String description = null;
        Optional<ThingModel> thingModel = thing.definition().flatMap(models);
        FeatureModel declared = thingModel.map(m -> m.features().get(featureId)).orElse(null);
        if (declared != null) {
            modelId = declared.modelId();
            properties = declared.properties();
            title = declared.title();
        } else if (feature.definition() != null && !feature.definition().isEmpty()) {
            modelId = ((JsonString) feature.definition().get(0)).value();
        }
        if (modelId == null) {
            throw notAcceptable("The Feature '" + featureId + "' of the Thing '" + thing.thingId()
                    + "' has no model: neither the thing's model declares it nor does the feature have a definition.");
        }
        ThingModel featureModel = models.apply(modelId).orElse(null);
        if (properties == null) {
            if (featureModel == null) {
                throw notAcceptable("The model '" + modelId + "' of the Feature '" + featureId + "' of the Thing '" + thing.thingId() + "' is not known.");
            }
            properties = featureModel.properties();
        }
        JsonObject source = featureModel == null ? JsonObject.empty() : featureModel.source();
        if (featureModel != null) {
            title = title != null ? title : featureModel.title();
            description = featureModel.description();
        }
        JsonObject.Builder td = header(source, "urn:" + thing.thingId() + ":features:" + featureId, title != null ? title : featureId, description,
                base + "features/" + segment(featureId) + "/");
        td.set("links", JsonArray.of(link("type", modelId, ThingDescriptions.TM_MEDIA_TYPE),
                link("collection", "../../", ThingDescriptions.TD_MEDIA_TYPE)));
        td.set("forms", allPropertiesForms("properties"));
        td.set("properties", properties(properties, source, "properties/", "desiredProperties/"));
        return security(td).build();
    }

    /** A model in the list of models: id, title, description. */
    public static JsonObject summary(ThingModel model) {
        JsonObject.Builder b = JsonObject.newBuilder().set("id", model.id());
        if (model.title() != null) {
            b.set("title", model.title());
        }
        if (model.description() != null) {
            b.set("description", model.description());
        }
        return b.build();
    }

    private static ThingModel modelOf(Thing thing, Function<String, Optional<ThingModel>> models) {
        String definition = thing.definition().orElseThrow(() -> notAcceptable("The Thing '" + thing.thingId()
                + "' has no definition, so no Thing Description can be generated for it."));
        return models.apply(definition).orElseThrow(() -> notAcceptable("The model '" + definition + "' that the Thing '" + thing.thingId()
                + "' names as its definition is not known."));
    }

    static TwinException notAcceptable(String message) {
        return new TwinException(406, "wot:tm.notfound", message,
                "Give the thing a definition naming a known model (GET /api/2/models lists them), or ask for application/json.");
    }

    private static JsonObject.Builder header(JsonObject source, String id, String title, String description, String base) {
        JsonObject.Builder td = JsonObject.newBuilder()
                .set("@context", source.get("@context").orElse(DEFAULT_CONTEXT))
                .set("@type", "Thing")
                .set("id", id)
                .set("title", title);
        if (description != null) {
            td.set("description", description);
        }
        source.get("version").ifPresent(v -> {
            if (v instanceof JsonObject o && o.get("model").isPresent()) {
                td.set("version", JsonObject.of("instance", o.get("model").get(), "model", o.get("model").get()));
            }
        });
        td.set("base", base);
        return td;
    }

    private static JsonObject.Builder security(JsonObject.Builder td) {
        return td.set("securityDefinitions", JsonObject.of("basic_sc", JsonObject.of("scheme", JsonString.of("basic"), "in", JsonString.of("header"))))
                .set("security", "basic_sc");
    }

    private static JsonArray allPropertiesForms(String href) {
        return JsonArray.of(
                form(JsonArray.of(JsonString.of("readallproperties"), JsonString.of("readmultipleproperties")), href, "GET", JSON),
                form(JsonString.of("writeallproperties"), href, "PUT", JSON),
                form(JsonString.of("writemultipleproperties"), href, "PATCH", MERGE_PATCH));
    }

    private static JsonObject properties(Map<String, PropertyModel> properties, JsonObject source, String readPrefix, String writePrefix) {
        JsonObject declared = source.get("properties").filter(JsonObject.class::isInstance).map(JsonObject.class::cast).orElse(JsonObject.empty());
        JsonObject.Builder out = JsonObject.newBuilder();
        for (PropertyModel p : properties.values()) {
            JsonObject.Builder affordance = affordance(p, declared.get(p.name()).filter(JsonObject.class::isInstance).map(JsonObject.class::cast));
            JsonArray forms = JsonArray.of(form(JsonString.of("readproperty"), readPrefix + segment(p.name()), "GET", JSON));
            if (!p.readOnly()) {
                forms = forms.add(form(JsonString.of("writeproperty"), writePrefix + segment(p.name()), "PUT", JSON));
            }
            out.set(p.name(), affordance.set("forms", forms).build());
        }
        return out.build();
    }

    /** The data schema of a property: as the model file declares it where it does, else from the resolved model. */
    private static JsonObject.Builder affordance(PropertyModel p, Optional<JsonObject> declared) {
        if (declared.isPresent()) {
            JsonObject.Builder b = JsonObject.newBuilder();
            declared.get().forEach((k, v) -> {
                if (!k.startsWith("tm:") && !k.equals("forms")) {
                    b.set(k, v);
                }
            });
            return b;
        }
        JsonObject.Builder b = JsonObject.newBuilder();
        if (p.description() != null) {
            b.set("description", p.description());
        }
        if (p.type() != null) {
            b.set("type", p.type());
        }
        if (p.unit() != null) {
            b.set("unit", p.unit());
        }
        if (p.minimum() != null) {
            b.set("minimum", number(p.minimum()));
        }
        if (p.maximum() != null) {
            b.set("maximum", number(p.maximum()));
        }
        if (!p.enumeration().isEmpty()) {
            b.set("enum", JsonArray.of(p.enumeration()));
        }
        return b.set("readOnly", p.readOnly());
    }

    private static JsonValue number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? JsonNumber.of((long) d) : JsonNumber.of(d);
    }

    private static JsonObject form(JsonValue op, String href, String method, String contentType) {
        return JsonObject.newBuilder().set("op", op).set("href", href).set("htv:methodName", method).set("contentType", contentType).build();
    }

    private static JsonObject link(String rel, String href, String type) {
        return JsonObject.newBuilder().set("rel", rel).set("href", href).set("type", type).build();
    }

    /** Percent-encodes a path segment of a relative href (a ':' in the first segment would read as a scheme). */
    static String segment(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
