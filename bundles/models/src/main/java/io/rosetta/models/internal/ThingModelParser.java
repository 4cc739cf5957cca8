package io.rosetta.models.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.ActionModel;
import io.rosetta.models.PropertyModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one W3C WoT Thing Model (JSON-LD) into a {@link RawModel}. Only what Rosetta uses is
 * interpreted: {@code id}, {@code title}, {@code description}, {@code properties} (type, unit,
 * minimum, maximum, enum, readOnly), {@code actions} and the {@code tm:submodel} /
 * {@code tm:extends} links. Anything else in the document is kept in {@link RawModel#source()}.
 * Every structural problem is refused with a {@link ModelFormatException} naming the member.
 */
final class ThingModelParser {

    static final String THING_MODEL_TYPE = "tm:ThingModel";
    static final String SUBMODEL = "tm:submodel";
    static final String EXTENDS = "tm:extends";
    /** The prefix that a unit may carry to name the UCUM vocabulary of the model's context. */
    static final String UCUM_PREFIX = "ucum:";

    private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");

    private ThingModelParser() {
    }

    static RawModel parse(byte[] utf8) {
        JsonValue json;
        try {
            json = Json.parse(utf8);
        } catch (InvalidJsonException e) {
            throw new ModelFormatException(jsonProblem(e), e);
        }
        if (!(json instanceof JsonObject root)) {
            throw new ModelFormatException("a Thing Model must be a JSON object but is " + json.typeName());
        }
        return parse(root);
    }

    /** Jackson's reason with the line and column, without its verbose source description. */
    private static String jsonProblem(InvalidJsonException e) {
        if (e.getCause() instanceof JsonProcessingException j) {
            String reason = j.getOriginalMessage();
            int marker = reason.indexOf(" (start marker at");
            if (marker >= 0) {
                reason = reason.substring(0, marker);
            }
            JsonLocation at = j.getLocation();
            return at == null ? "invalid JSON: " + reason
                    : "invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + reason;
        }
        return e.getMessage();
    }

    static RawModel parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static RawModel parse(JsonObject root) {
        if (!root.contains("@context")) {
            throw new ModelFormatException("'@context' is missing (expected the WoT TD 1.1 context)");
        }
        if (!hasType(root.getOrNull("@type"))) {
            throw new ModelFormatException("'@type' must be or contain \"" + THING_MODEL_TYPE + "\"");
        }
        String id = requiredString(root, "id", "");
        String title = optionalString(root, "title", "");
        String description = optionalString(root, "description", "");

        Map<String, PropertyModel> properties = new LinkedHashMap<>();
        JsonObject props = optionalObject(root, "properties", "");
        if (props != null) {
            for (int i = 0; i < props.size(); i++) {
                String name = props.keyAt(i);
                properties.put(name, property(name, props.valueAt(i), "properties/" + name));
            }
        }

        Map<String, ActionModel> actions = new LinkedHashMap<>();
        JsonObject acts = optionalObject(root, "actions", "");
        if (acts != null) {
            for (int i = 0; i < acts.size(); i++) {
                String name = acts.keyAt(i);
                String at = "actions/" + name;
                if (!(acts.valueAt(i) instanceof JsonObject a)) {
                    throw new ModelFormatException("'" + at + "' must be an object");
                }
                actions.put(name, new ActionModel(name, optionalString(a, "description", at),
                        optionalObject(a, "input", at), optionalObject(a, "output", at)));
            }
        }

        List<RawModel.Submodel> submodels = new ArrayList<>();
        List<String> extendsRefs = new ArrayList<>();
        JsonValue links = root.getOrNull("links");
        if (links != null) {
            if (!(links instanceof JsonArray array)) {
                throw new ModelFormatException("'links' must be an array");
            }
            for (int i = 0; i < array.size(); i++) {
                String at = "links/" + i;
                if (!(array.get(i) instanceof JsonObject link)) {
                    throw new ModelFormatException("'" + at + "' must be an object");
                }
                String rel = optionalString(link, "rel", at);
                if (SUBMODEL.equals(rel)) {
                    String href = requiredString(link, "href", at);
                    String instance = requiredString(link, "instanceName", at);
                    if (instance.indexOf('/') >= 0) {
                        throw new ModelFormatException("'" + at + "/instanceName' must not contain '/' (it becomes a feature id)");
                    }
                    for (RawModel.Submodel s : submodels) {
                        if (s.instanceName().equals(instance)) {
                            throw new ModelFormatException("'" + at + "/instanceName' \"" + instance + "\" is used twice");
                        }
                    }
                    submodels.add(new RawModel.Submodel(href, instance));
                } else if (EXTENDS.equals(rel)) {
                    extendsRefs.add(requiredString(link, "href", at));
                }
            }
        }
        return new RawModel(id, title, description, properties, actions, submodels, extendsRefs, root);
    }

    private static PropertyModel property(String name, JsonValue value, String at) {
        if (!(value instanceof JsonObject p)) {
            throw new ModelFormatException("'" + at + "' must be an object");
        }
        String type = optionalString(p, "type", at);
        if (type != null && !TYPES.contains(type)) {
            throw new ModelFormatException("'" + at + "/type' \"" + type + "\" is not one of " + TYPES);
        }
        String unit = optionalString(p, "unit", at);
        if (unit != null && unit.startsWith(UCUM_PREFIX)) {
            unit = unit.substring(UCUM_PREFIX.length());
        }
        if (unit != null && unit.isBlank()) {
            throw new ModelFormatException("'" + at + "/unit' must not be blank");
        }
        Double minimum = optionalNumber(p, "minimum", at);
        Double maximum = optionalNumber(p, "maximum", at);
        if (minimum != null && maximum != null && minimum > maximum) {
            throw new ModelFormatException("'" + at + "': minimum " + minimum + " is above maximum " + maximum);
        }
        if ((minimum != null || maximum != null) && type != null && !"number".equals(type) && !"integer".equals(type)) {
            throw new ModelFormatException("'" + at + "': minimum/maximum apply to numbers, not to " + type);
        }
        List<JsonValue> enumeration = null;
        JsonValue e = p.getOrNull("enum");
        if (e != null) {
            if (!(e instanceof JsonArray array) || array.isEmpty()) {
                throw new ModelFormatException("'" + at + "/enum' must be a non-empty array");
            }
            enumeration = array.values();
        }
        boolean readOnly = false;
        JsonValue ro = p.getOrNull("readOnly");
        if (ro != null) {
            if (!(ro instanceof JsonBoolean b)) {
                throw new ModelFormatException("'" + at + "/readOnly' must be a boolean");
            }
            readOnly = b.value();
        }
        return new PropertyModel(name, type, unit, minimum, maximum, enumeration, readOnly, optionalString(p, "description", at));
    }

    private static boolean hasType(JsonValue type) {
        if (type instanceof JsonString s) {
            return THING_MODEL_TYPE.equals(s.value());
        }
        if (type instanceof JsonArray a) {
            for (JsonValue v : a) {
                if (v instanceof JsonString s && THING_MODEL_TYPE.equals(s.value())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String requiredString(JsonObject o, String key, String at) {
        String s = optionalString(o, key, at);
        if (s == null || s.isBlank()) {
            throw new ModelFormatException("'" + path(at, key) + "' is missing or empty");
        }
        return s;
    }

    private static String optionalString(JsonObject o, String key, String at) {
        JsonValue v = o.getOrNull(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new ModelFormatException("'" + path(at, key) + "' must be a string but is " + v.typeName());
    }

    private static JsonObject optionalObject(JsonObject o, String key, String at) {
        JsonValue v = o.getOrNull(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonObject obj) {
            return obj;
        }
        throw new ModelFormatException("'" + path(at, key) + "' must be an object but is " + v.typeName());
    }

    private static Double optionalNumber(JsonObject o, String key, String at) {
        JsonValue v = o.getOrNull(key);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonNumber n) {
            return n.doubleValue();
        }
        throw new ModelFormatException("'" + path(at, key) + "' must be a number but is " + v.typeName());
    }

    private static String path(String at, String key) {
        return at.isEmpty() ? key : at + "/" + key;
    }
}
