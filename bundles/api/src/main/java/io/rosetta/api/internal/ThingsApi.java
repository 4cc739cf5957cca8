package io.rosetta.api.internal;

import io.rosetta.api.internal.ThingsPath.Resource;
import io.rosetta.api.internal.auth.Access;
import io.rosetta.api.internal.auth.BasicAuthProcessor;
import io.rosetta.api.internal.wot.ThingDescriptions;
import io.rosetta.api.security.ApiUser;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.core.registry.WriteResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The handlers of Ditto's things API v2: resolves the path into a {@link ThingsPath}, checks the
 * method, and turns each request into exactly one registry call (a write is all or nothing: every
 * refusal happens before or inside that call). The registry implements Ditto's semantics and error
 * codes; this class maps its results onto Ditto's status codes, {@code ETag}, {@code Location} and
 * bodies.
 */
final class ThingsApi {

    static final String BASE = "/api/2/things";
    /** Exchange property with the methods a resource allows, for the {@code Allow} header of a 405. */
    static final String ALLOW = "rosetta.allow";

    private static final int MAX_IDS = 1000;
    /** Attempts of a conditional write whose twin changed between check and write. */
    private static final int ATTEMPTS = 8;

    private final TwinRegistry registry;
    private final ApiSettings settings;
    private final Supplier<ThingDescriptions> descriptions;
    private final ApiMetrics metrics;

    ThingsApi(TwinRegistry registry, ApiSettings settings, Supplier<ThingDescriptions> descriptions, ApiMetrics metrics) {
        this.registry = registry;
        this.settings = settings;
        this.descriptions = descriptions;
        this.metrics = metrics;
    }

    void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = path(in);
        if (!path.equals(BASE) && !path.startsWith(BASE + "/")) {
            throw ApiErrors.resourceNotFound(path);
        }
        ThingsPath target = ThingsPath.parse(BASE, path);
        if (!target.resource().methods().contains(method)) {
            exchange.setProperty(ALLOW, String.join(", ", target.resource().methods()));
            throw ApiErrors.methodNotAllowed(method, path, target.resource().methods());
        }
        QueryParameters query = QueryParameters.parse(in.getHeader(Exchange.HTTP_QUERY, String.class));
        Conditions conditions = Conditions.of(RequestHeaders.get(in, "If-Match"), RequestHeaders.get(in, "If-None-Match"));
        ApiUser user = exchange.getProperty(BasicAuthProcessor.USER, ApiUser.class);
        if (target.resource() == Resource.THINGS) {
            if (method.equals("GET")) {
                Access.requireAnyRead(user);
                retrieveThings(exchange, query, user);
            } else {
                Access.requireWrite(user, settings.defaultNamespace(), "things in the default namespace");
                create(exchange);
            }
            return;
        }
        if (method.equals("GET")) {
            Access.requireRead(user, target.thingId());
        } else {
            Access.requireWrite(user, target.thingId().namespace(), "the thing " + target.thingId());
        }
        switch (method) {
            case "GET" -> retrieve(exchange, target, query, conditions);
            case "PUT" -> {
                JsonValue value = RequestBodies.json(exchange, settings.maxBodyBytes(), false);
                if (target.resource() == Resource.THING) {
                    putThing(exchange, target.thingId(), value, conditions);
                } else {
                    modify(exchange, target, path, value, conditions);
                }
            }
            case "PATCH" -> merge(exchange, target, RequestBodies.mergePatch(exchange, settings.maxBodyBytes()), conditions);
            case "DELETE" -> delete(exchange, target, conditions);
            default -> throw new IllegalStateException("unreachable: " + method);
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    private void retrieve(Exchange exchange, ThingsPath target, QueryParameters query, Conditions conditions) {
        ThingId id = target.thingId();
        Thing thing = registry.retrieve(id).orElseThrow(() -> TwinException.notFound(id));
        JsonValue value;
        if (target.resource() == Resource.THING) {
            value = null;
        } else {
            value = thing.toJson().getValue(target.pointer()).orElse(null);
            if (value == null) {
                throw target.featureId() != null && target.pointer().size() > 2 && thing.feature(target.featureId()).isEmpty()
                        ? ApiErrors.featureNotFound(id, target.featureId())
                        : ApiErrors.notFound(id, target.resource(), target.pointer(), target.featureId());
            }
        }
        String etag = Conditions.etag(thing);
        if (!conditions.checkRead(thing, true)) {
            HttpResponses.notModified(exchange, etag);
            metrics.answered(304);
            return;
        }
        if (wantsThingDescription(exchange) && (target.resource() == Resource.THING || target.resource() == Resource.FEATURE)) {
            thingDescription(exchange, thing, target, etag);
            return;
        }
        Optional<FieldSelector> fields = target.resource().selectable() ? fields(query) : Optional.empty();
        JsonValue body;
        if (target.resource() == Resource.THING) {
            body = fields.map(thing::toJson).orElseGet(thing::toJson);
        } else {
            body = fields.isPresent() && value instanceof JsonObject o ? fields.get().apply(o) : value;
        }
        HttpResponses.json(exchange, 200, body);
        exchange.getMessage().setHeader("ETag", etag);
        metrics.answered(200);
    }

    private void thingDescription(Exchange exchange, Thing thing, ThingsPath target, String etag) {
        ThingDescriptions wot = descriptions.get();
        if (wot == null) {
            throw new TwinException(406, "wot:tm.notfound", "No Thing Description can be generated: the model registry is not running.",
                    "Install the feature rosetta-models, or ask for application/json.");
        }
        String base = baseUrl(exchange, thing.thingId());
        JsonObject td = target.resource() == Resource.THING ? wot.thing(thing, base) : wot.feature(thing, target.featureId(), base);
        HttpResponses.body(exchange, 200, ThingDescriptions.TD_MEDIA_TYPE, Json.writeBytes(td));
        exchange.getMessage().setHeader("ETag", etag);
        metrics.answered(200);
    }

    private static boolean wantsThingDescription(Exchange exchange) {
        String accept = RequestHeaders.get(exchange.getMessage(), "Accept");
        return accept != null && accept.contains(ThingDescriptions.TD_MEDIA_TYPE);
    }

    /** The absolute URL of the thing's resource, ending with '/', as the client addressed this server. */
    private static String baseUrl(Exchange exchange, ThingId id) {
        String origin = "";
        String url = exchange.getMessage().getHeader(Exchange.HTTP_URL, String.class);
        if (url != null) {
            try {
                URI uri = URI.create(url);
                if (uri.getScheme() != null && uri.getRawAuthority() != null) {
                    origin = uri.getScheme() + "://" + uri.getRawAuthority();
                }
            } catch (IllegalArgumentException e) {
                origin = "";
            }
        }
        return origin + BASE + "/" + ThingsPath.encode(id.toString()) + "/";
    }

    private void retrieveThings(Exchange exchange, QueryParameters query, ApiUser user) {
        String ids = query.get("ids").orElseThrow(() -> new TwinException(400, "things:query.invalid",
                "The query parameter 'ids' is missing.", "Name the things to retrieve: GET /api/2/things?ids=org.example:a,org.example:b"));
        Set<ThingId> thingIds = new LinkedHashSet<>();
        for (String text : ids.split(",")) {
            if (!text.isBlank()) {
                thingIds.add(ThingId.of(text.trim()));
            }
        }
        if (thingIds.size() > MAX_IDS) {
            throw new TwinException(400, "things:query.invalid", "Too many ids: " + thingIds.size() + " (at most " + MAX_IDS + ").",
                    "Split the request into several.");
        }
        Optional<FieldSelector> fields = fields(query);
        List<JsonValue> things = new ArrayList<>(thingIds.size());
        for (ThingId id : thingIds) {
            // as in Ditto, things the caller may not read are left out like things that do not exist
            if (!Access.mayRead(user, id)) {
                continue;
            }
            registry.retrieve(id).ifPresent(t -> things.add(fields.map(t::toJson).orElseGet(t::toJson)));
        }
        HttpResponses.json(exchange, 200, JsonArray.of(things));
        metrics.answered(200);
    }

    static Optional<FieldSelector> fields(QueryParameters query) {
        Optional<String> fields = query.get("fields");
        if (fields.isEmpty() || fields.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FieldSelector.of(fields.get()));
        } catch (TwinException | IllegalArgumentException e) {
            throw ApiErrors.invalidFieldSelector(fields.get(), e.getMessage());
        }
    }

    // ---- writes --------------------------------------------------------------------------------

    /** {@code POST /api/2/things}: a new thing with a generated id in the default namespace. */
    private void create(Exchange exchange) {
        JsonObject body = thingObject(RequestBodies.json(exchange, settings.maxBodyBytes(), true));
        if (body.contains("thingId")) {
            throw ApiErrors.idNotSettable();
        }
        ThingId id = ThingId.of(settings.defaultNamespace(), UUID.randomUUID().toString());
        Thing created = registry.create(Thing.fromJson(body, id));
        created(exchange, BASE + "/" + ThingsPath.encode(id.toString()), created, created.toJson());
    }

    /**
     * {@code PUT /api/2/things/{id}}: creates the thing, or updates it as Ditto does: the top-level
     * fields in the body ({@code policyId}, {@code definition}, {@code attributes}, {@code features})
     * replace the thing's, the others are kept ({@code null} removes one).
     */
    private void putThing(Exchange exchange, ThingId id, JsonValue value, Conditions conditions) {
        JsonObject body = thingObject(value);
        for (int attempt = 1; ; attempt++) {
            Thing current = registry.retrieve(id).orElse(null);
            conditions.checkWrite(current, current != null);
            Thing next = Thing.fromJson(current == null ? body : overlay(current.toJson(), body), id);
            Precondition pin = current == null ? Precondition.absent() : Precondition.revision(current.revision());
            WriteResult result;
            try {
                result = registry.put(next, pin);
            } catch (TwinException e) {
                if (attempt < ATTEMPTS && changedMeanwhile(e)) {
                    continue;
                }
                throw e;
            }
            if (result.created()) {
                created(exchange, BASE + "/" + ThingsPath.encode(id.toString()), result.thing(), result.thing().toJson());
            } else {
                HttpResponses.noContent(exchange, Conditions.etag(result.thing()));
                metrics.answered(204);
            }
            return;
        }
    }

    private static JsonObject overlay(JsonObject current, JsonObject body) {
        JsonObject out = current;
        for (int i = 0; i < body.size(); i++) {
            String key = body.keyAt(i);
            if (!key.startsWith("_")) {
                out = out.set(key, body.valueAt(i));
            }
        }
        return out;
    }

    /** PUT on a sub-resource: Ditto "modify"; 201 with the value and its {@code Location} when the path had no value, else 204. */
    private void modify(Exchange exchange, ThingsPath target, String path, JsonValue value, Conditions conditions) {
        for (int attempt = 1; ; attempt++) {
            Precondition pin = conditional(target, conditions);
            WriteResult result;
            try {
                result = registry.modify(target.thingId(), target.pointer(), value, pin);
            } catch (TwinException e) {
                if (attempt < ATTEMPTS && !conditions.isEmpty() && changedMeanwhile(e)) {
                    continue;
                }
                throw e;
            }
            if (result.created()) {
                created(exchange, path, result.thing(), result.thing().toJson().getValue(target.pointer()).orElse(value));
            } else {
                HttpResponses.noContent(exchange, Conditions.etag(result.thing()));
                metrics.answered(204);
            }
            return;
        }
    }

    /** PATCH: an RFC 7396 merge patch at the resource's path (Ditto "merge"); 204. */
    private void merge(Exchange exchange, ThingsPath target, JsonValue patch, Conditions conditions) {
        for (int attempt = 1; ; attempt++) {
            Precondition pin = conditional(target, conditions);
            Thing merged;
            try {
                merged = registry.merge(target.thingId(), target.pointer(), patch, pin);
            } catch (TwinException e) {
                if (attempt < ATTEMPTS && !conditions.isEmpty() && changedMeanwhile(e)) {
                    continue;
                }
                throw e;
            }
            HttpResponses.noContent(exchange, Conditions.etag(merged));
            metrics.answered(204);
            return;
        }
    }

    private void delete(Exchange exchange, ThingsPath target, Conditions conditions) {
        for (int attempt = 1; ; attempt++) {
            Precondition pin = conditional(target, conditions);
            try {
                registry.delete(target.thingId(), target.pointer(), pin);
            } catch (TwinException e) {
                if (attempt < ATTEMPTS && !conditions.isEmpty() && changedMeanwhile(e)) {
                    continue;
                }
                throw e;
            }
            HttpResponses.noContent(exchange, null);
            metrics.answered(204);
            return;
        }
    }

    /**
     * Checks the request's conditions against the current twin (a missing thing is 404 for every
     * sub-resource) and returns the precondition that pins the checked revision.
     */
    private Precondition conditional(ThingsPath target, Conditions conditions) {
        if (conditions.isEmpty()) {
            return Precondition.none();
        }
        ThingId id = target.thingId();
        Thing current = registry.retrieve(id).orElse(null);
        if (current == null) {
            if (target.resource() != Resource.THING) {
                throw TwinException.notFound(id);
            }
            conditions.checkWrite(null, false);
            return Precondition.absent();
        }
        boolean exists = target.pointer().isEmpty() || current.toJson().getValue(target.pointer()).isPresent();
        conditions.checkWrite(current, exists);
        return conditions.pinned(current);
    }

    /** A refusal that only says the twin changed between the check and the write. */
    private static boolean changedMeanwhile(TwinException e) {
        return e.status() == 412 || e.errorCode().equals("things:thing.notfound") || e.errorCode().equals("things:thing.conflict");
    }

    private void created(Exchange exchange, String location, Thing thing, JsonValue body) {
        HttpResponses.json(exchange, 201, body);
        exchange.getMessage().setHeader("Location", location);
        exchange.getMessage().setHeader("ETag", Conditions.etag(thing));
        metrics.answered(201);
    }

    private static JsonObject thingObject(JsonValue value) {
        if (value instanceof JsonObject o) {
            return o;
        }
        throw TwinException.invalid("A thing must be a JSON object but was " + value.typeName() + ".", "Send the thing as a JSON object.");
    }

    /** The request's path, still percent-encoded, from the raw request URI. */
    static String path(Message in) {
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            return in.getHeader(Exchange.HTTP_PATH, String.class);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        int hash = path.indexOf('#');
        return hash < 0 ? path : path.substring(0, hash);
    }
}
