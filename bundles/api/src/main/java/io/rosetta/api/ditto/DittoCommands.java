package io.rosetta.api.ditto;

import io.rosetta.api.internal.auth.Access;
import io.rosetta.api.security.ApiUser;
import io.rosetta.core.json.InvalidJsonPointerException;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.core.registry.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Ditto twin commands ({@code things/twin/commands/create|retrieve|modify|merge|delete}) applied to
 * the registry, each as exactly one registry call, and answered as Ditto answers them: the command's
 * topic and path with {@code status} (201 with the created value, 200 with the retrieved one, 204),
 * or an error envelope ({@code .../things/twin/errors}) with Ditto's error JSON. Never throws.
 *
 * <p>Preconditions come from the headers {@code if-match} ({@code "rev:N"} or {@code *}: the thing
 * exists) and {@code if-none-match} ({@code *}: the thing does not exist); they apply to the thing.
 */
public final class DittoCommands {

    private static final Set<String> ACTIONS = Set.of("create", "retrieve", "modify", "merge", "delete");
    private static final Set<String> TOP_LEVEL = Set.of("attributes", "features", "definition", "policyId");
    private static final Set<String> FEATURE_PARTS = Set.of("properties", "desiredProperties", "definition");

    private static final int MAX_IDS = 1000;

    private final TwinRegistry registry;

    public DittoCommands(TwinRegistry registry) {
        this.registry = registry;
    }

    /**
     * Executes a twin command for {@code user} (retrieving needs READ on the thing's namespace, anything else WRITE);
     * {@code null} when the command asked for no response ({@code response-required: false}) and succeeded.
     */
    public DittoEnvelope execute(DittoEnvelope command, ApiUser user) {
        String correlationId = command.correlationId();
        try {
            DittoEnvelope response = apply(command, correlationId, user);
            return responseRequired(command) ? response : null;
        } catch (TwinException e) {
            return DittoEnvelope.error(command.topic(), correlationId, e);
        } catch (InvalidJsonPointerException e) {
            return DittoEnvelope.error(command.topic(), correlationId, new TwinException(400, "json.pointer.invalid", e.getMessage(),
                    "Check, for example, if the JSON Pointer is not empty and has no consecutive or trailing slashes."));
        } catch (IllegalArgumentException e) {
            return DittoEnvelope.error(command.topic(), correlationId, TwinException.invalid(e.getMessage(), "Check the path and the value."));
        }
    }

    private static boolean responseRequired(DittoEnvelope command) {
        JsonValue v = command.headers().getOrNull("response-required");
        return !(v == JsonBoolean.FALSE || v instanceof JsonString s && s.value().equalsIgnoreCase("false"));
    }

    private DittoEnvelope apply(DittoEnvelope command, String correlationId, ApiUser user) {
        DittoTopic topic = command.topic();
        if (!DittoTopic.TWIN.equals(topic.channel())) {
            throw DittoProtocolException.unknownCommand(topic + " (only the twin channel is served)");
        }
        if (!DittoTopic.COMMANDS.equals(topic.criterion()) || topic.action() == null || !ACTIONS.contains(topic.action())) {
            throw DittoProtocolException.unknownCommand(topic.toString());
        }
        if (topic.action().equals("retrieve") && topic.name().equals("_")) {
            Access.requireAnyRead(user);
            return DittoEnvelope.of(topic, DittoEnvelope.responseHeaders(correlationId), command.path(), retrieveThings(command, user), 200);
        }
        ThingId id;
        try {
            id = topic.thingId();
        } catch (InvalidIdException e) {
            throw new TwinException(400, "things:id.invalid", e.getMessage(),
                    "A thing id is namespace:name; in a topic it is written <namespace>/<name>.");
        }
        if (topic.action().equals("retrieve")) {
            Access.requireRead(user, id);
        } else {
            Access.requireWrite(user, id.namespace(), "the thing " + id);
        }
        JsonPointer path = command.path();
        checkPath(path);
        Precondition precondition = precondition(command);
        JsonObject headers = DittoEnvelope.responseHeaders(correlationId);
        return switch (topic.action()) {
            case "create" -> {
                if (!path.isEmpty()) {
                    throw DittoProtocolException.unknownPath(DittoEnvelope.pathText(path) + " (create takes the whole thing at '/')");
                }
                Thing created = registry.create(Thing.fromJson(thingObject(command), id));
                yield DittoEnvelope.of(topic, headers, path, created.toJson(), 201);
            }
            case "retrieve" -> DittoEnvelope.of(topic, headers, path, retrieve(id, path, command.fields()), 200);
            case "modify" -> {
                JsonValue value = required(command);
                WriteResult result = path.isEmpty()
                        ? registry.put(Thing.fromJson(thingObject(command), id), precondition)
                        : registry.modify(id, path, value, precondition);
                yield result.created()
                        ? DittoEnvelope.of(topic, headers, path, result.thing().toJson().getValue(path).orElse(value), 201)
                        : DittoEnvelope.of(topic, headers, path, null, 204);
            }
            case "merge" -> {
                registry.merge(id, path, required(command), precondition);
                yield DittoEnvelope.of(topic, headers, path, null, 204);
            }
            case "delete" -> {
                registry.delete(id, path, precondition);
                yield DittoEnvelope.of(topic, headers, path, null, 204);
            }
            default -> throw DittoProtocolException.unknownCommand(topic.toString());
        };
    }

    private JsonValue retrieve(ThingId id, JsonPointer path, String fields) {
        Thing thing = registry.retrieve(id).orElseThrow(() -> TwinException.notFound(id));
        FieldSelector selector = selector(fields);
        if (path.isEmpty()) {
            return selector == null ? thing.toJson() : thing.toJson(selector);
        }
        JsonValue value = thing.toJson().getValue(path).orElseThrow(() -> TwinException.pathNotFound(id, path.toString()));
        return selector != null && value instanceof JsonObject o ? selector.apply(o) : value;
    }

    private static FieldSelector selector(String fields) {
        if (fields == null || fields.isBlank()) {
            return null;
        }
        try {
            return FieldSelector.of(fields);
        } catch (TwinException | IllegalArgumentException e) {
            throw new TwinException(400, "json.fieldselector.invalid", "The field selector <" + fields + "> is not valid: " + e.getMessage(),
                    "Write e.g. thingId,attributes/location,features(temperature)");
        }
    }

    /**
     * Ditto's "retrieve things": topic {@code <namespace or _>/_/things/twin/commands/retrieve}, value
     * {@code {"thingIds":[..]}}; answered with the array of those that exist, in the order asked.
     */
    private JsonValue retrieveThings(DittoEnvelope command, ApiUser user) {
        if (!(command.value() instanceof JsonObject o) || !(o.getOrNull("thingIds") instanceof JsonArray ids)) {
            throw DittoProtocolException.invalidEnvelope("retrieving things needs a value {\"thingIds\":[...]}.");
        }
        if (ids.size() > MAX_IDS) {
            throw new TwinException(400, "things:query.invalid", "Too many thingIds: " + ids.size() + " (at most " + MAX_IDS + ").",
                    "Split the command into several.");
        }
        FieldSelector selector = selector(command.fields());
        List<JsonValue> things = new ArrayList<>(ids.size());
        for (JsonValue v : ids) {
            if (!(v instanceof JsonString s)) {
                throw DittoProtocolException.invalidEnvelope("thingIds must be strings.");
            }
            ThingId id = ThingId.of(s.value());
            // things the caller may not read are left out like things that do not exist
            if (!Access.mayRead(user, id)) {
                continue;
            }
            registry.retrieve(id).ifPresent(t -> things.add(selector == null ? t.toJson() : t.toJson(selector)));
        }
        return JsonArray.of(things);
    }

    /** Ditto's protocol knows these paths; anything else is {@code unknown.path}. */
    private static void checkPath(JsonPointer path) {
        if (path.isEmpty()) {
            return;
        }
        String top = path.first();
        boolean known = TOP_LEVEL.contains(top);
        if (known && (top.equals("definition") || top.equals("policyId"))) {
            known = path.size() == 1;
        }
        if (known && top.equals("features") && path.size() >= 3) {
            known = FEATURE_PARTS.contains(path.get(2)) && (path.size() == 3 || !path.get(2).equals("definition"));
        }
        if (!known) {
            throw DittoProtocolException.unknownPath(path.toString());
        }
    }

    private static Precondition precondition(DittoEnvelope command) {
        String ifMatch = command.header("if-match");
        String ifNoneMatch = command.header("if-none-match");
        if (ifNoneMatch != null) {
            if (ifNoneMatch.trim().equals("*")) {
                return Precondition.absent();
            }
            throw unsupportedCondition("if-none-match", ifNoneMatch);
        }
        if (ifMatch == null) {
            return Precondition.none();
        }
        String tag = ifMatch.trim();
        if (tag.equals("*")) {
            return Precondition.exists();
        }
        if (tag.startsWith("\"") && tag.endsWith("\"") && tag.length() >= 2) {
            tag = tag.substring(1, tag.length() - 1);
        }
        if (tag.startsWith("rev:")) {
            try {
                return Precondition.revision(Long.parseLong(tag.substring(4)));
            } catch (NumberFormatException e) {
                throw unsupportedCondition("if-match", ifMatch);
            }
        }
        throw unsupportedCondition("if-match", ifMatch);
    }

    private static TwinException unsupportedCondition(String header, String value) {
        return new TwinException(400, "things:precondition.invalid", "The header " + header + " <" + value + "> is not supported.",
                "Use if-match: \"rev:N\" or *, or if-none-match: *.");
    }

    private static JsonValue required(DittoEnvelope command) {
        if (command.value() == null) {
            throw DittoProtocolException.invalidEnvelope("the command '" + command.topic().action() + "' needs a 'value'.");
        }
        return command.value();
    }

    private static JsonObject thingObject(DittoEnvelope command) {
        if (required(command) instanceof JsonObject o) {
            return o;
        }
        throw TwinException.invalid("A thing must be a JSON object but was " + command.value().typeName() + ".",
                "Send the thing as a JSON object.");
    }
}
