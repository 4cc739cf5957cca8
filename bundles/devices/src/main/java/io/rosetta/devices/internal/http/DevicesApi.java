package io.rosetta.devices.internal.http;

import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.DevicePage;
import io.rosetta.devices.DeviceQuery;
import io.rosetta.devices.DeviceRegistry;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.ImportFormat;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportProgress;
import io.rosetta.devices.ImportReport;
import io.rosetta.devices.internal.ImportParser;
import io.rosetta.security.AccessLevel;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The device admin resources. Every device is administered with ADMIN on its twin's namespace; a device the caller
 * may not administer does not exist for them (404), and lists and the audit trail leave it out.
 * <pre>
 * GET    /api/2/devices                     list (?state=&amp;binding=&amp;model=&amp;namespace=&amp;offset=&amp;limit=)
 * POST   /api/2/devices                     provision one (JSON object; ?reason=)
 * POST   /api/2/devices/_import             import a fleet (text/csv or application/json; ?dryRun=true&amp;atomic=true)
 * GET    /api/2/devices/_audit              audit trail of every device (?since=&amp;limit=)
 * GET    /api/2/devices/{id}                one device
 * PUT    /api/2/devices/{id}                provision one under this id (409 when it exists)
 * POST   /api/2/devices/{id}/lifecycle      {"state":"SUSPENDED","reason":"..."}
 * GET    /api/2/devices/{id}/config         desired against reported, pending and applied
 * PUT    /api/2/devices/{id}/config         replace the desired configuration (?reason=)
 * PATCH  /api/2/devices/{id}/config         merge patch on it (?reason=)
 * POST   /api/2/devices/{id}/credentials    change or remove credentials
 * GET    /api/2/devices/{id}/audit          its audit trail (?since=&amp;limit=)
 * </pre>
 */
final class DevicesApi {

    static final String BASE = "/api/2/devices";
    static final String ALLOW = "rosetta.allow";
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("mqttUsername", "mqttPassword", "mqttPasswordHash", "pskIdentity",
            "pskKey", "x509Sha256", "remove", "reason");

    private final DeviceRegistry registry;
    private final DevicesMetrics metrics;

    DevicesApi(DeviceRegistry registry, DevicesMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        ApiUser user = exchange.getProperty(DevicesRoutes.USER, ApiUser.class);
        if (user == null) {
            throw Authenticator.unauthenticated("Authentication is required.");
        }
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        List<String> segments = segments(path(in));
        Map<String, String> query = query(in.getHeader(Exchange.HTTP_QUERY, String.class));
        if (segments.isEmpty()) {
            switch (allow(exchange, method, "GET, POST")) {
                case "GET" -> list(exchange, user, query);
                default -> provision(exchange, user, null, query);
            }
        } else if (segments.size() == 1 && segments.get(0).equals("_import")) {
            allow(exchange, method, "POST");
            importFile(exchange, user, query);
        } else if (segments.size() == 1 && segments.get(0).equals("_audit")) {
            allow(exchange, method, "GET");
            audit(exchange, user, null, query);
        } else if (segments.size() == 1) {
            String id = segments.get(0);
            switch (allow(exchange, method, "GET, PUT")) {
                case "GET" -> answer(exchange, 200, visible(user, id).toJson());
                default -> provision(exchange, user, id, query);
            }
        } else if (segments.size() == 2) {
            String id = segments.get(0);
            switch (segments.get(1)) {
                case "lifecycle" -> {
                    allow(exchange, method, "POST");
                    lifecycle(exchange, user, id);
                }
                case "config" -> config(exchange, user, id, allow(exchange, method, "GET, PUT, PATCH"), query);
                case "credentials" -> {
                    allow(exchange, method, "POST");
                    credentials(exchange, user, id);
                }
                case "audit" -> {
                    allow(exchange, method, "GET");
                    visible(user, id);
                    audit(exchange, user, id, query);
                }
                default -> throw notFound(in);
            }
        } else {
            throw notFound(in);
        }
    }

    // ---- resources --------------------------------------------------------------------------------------------------

    private void list(Exchange exchange, ApiUser user, Map<String, String> q) {
        LifecycleState state = q.get("state") == null ? null : state(q.get("state"));
        int offset = integer(q, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = integer(q, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        DevicePage page = registry.find(new DeviceQuery(state, q.get("binding"), q.get("model"), q.get("namespace"), administers(user),
                offset, limit));
        List<JsonValue> items = new ArrayList<>(page.items().size());
        page.items().forEach(d -> items.add(d.toJson()));
        answer(exchange, 200, JsonObject.newBuilder().set("items", JsonArray.of(items)).set("total", page.total()).set("offset", offset)
                .set("limit", limit).build());
    }

    private void provision(Exchange exchange, ApiUser user, String pathId, Map<String, String> q) {
        JsonObject body = jsonObject(exchange);
        if (pathId != null) {
            JsonValue given = body.getOrNull("deviceId");
            if (given != null && !(given instanceof JsonString s && s.value().equals(pathId))) {
                throw DeviceException.invalid(DeviceException.INVALID, "The body's deviceId " + given + " is not the one of the path, '" + pathId + "'.");
            }
            body = body.set("deviceId", JsonString.of(pathId));
        }
        DeviceSpec spec = ImportParser.spec(body);
        ThingId thingId = registry.thingIdFor(spec);
        if (!mayAdminister(user, thingId)) {
            throw forbidden(user, thingId.namespace());
        }
        Device device = registry.provision(spec, user.name(), q.get("reason"));
        answer(exchange, 201, device.toJson());
        exchange.getMessage().setHeader("Location", BASE + "/" + device.deviceId());
    }

    private void importFile(Exchange exchange, ApiUser user, Map<String, String> q) {
        String type = HttpAnswers.header(exchange.getMessage(), "Content-Type");
        ImportFormat format = ImportFormat.ofMediaType(type).orElseThrow(() -> new TwinException(415, "mediatype.unsupported",
                "The Media-Type <" + type + "> is not supported for an import.", "Send text/csv or application/json."));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        ImportOptions options = ImportOptions.defaults().withDryRun(bool(q, "dryRun")).withAtomic(bool(q, "atomic"))
                .withAllowed(administers(user));
        ImportReport report = registry.importDevices(format, new ByteArrayInputStream(body == null ? new byte[0] : body), options,
                ImportProgress.NONE, user.name());
        answer(exchange, 200, report.toJson());
    }

    private void lifecycle(Exchange exchange, ApiUser user, String id) {
        visible(user, id);
        JsonObject body = jsonObject(exchange);
        if (!(body.getOrNull("state") instanceof JsonString s)) {
            throw DeviceException.invalid(DeviceException.INVALID, "The body needs \"state\": ACTIVE, SUSPENDED or DECOMMISSIONED.");
        }
        String reason = body.getOrNull("reason") instanceof JsonString r ? r.value() : null;
        answer(exchange, 200, registry.transition(id, state(s.value()), user.name(), reason).toJson());
    }

    private void config(Exchange exchange, ApiUser user, String id, String method, Map<String, String> q) {
        visible(user, id);
        switch (method) {
            case "PUT" -> registry.replaceConfiguration(id, jsonObject(exchange), user.name(), q.get("reason"));
            case "PATCH" -> registry.configure(id, jsonObject(exchange), user.name(), q.get("reason"));
            default -> {
            }
        }
        answer(exchange, 200, registry.configuration(id).toJson());
    }

    private void credentials(Exchange exchange, ApiUser user, String id) {
        visible(user, id);
        JsonObject body = jsonObject(exchange);
        for (String field : body.keys()) {
            if (!CREDENTIAL_FIELDS.contains(field)) {
                throw DeviceException.invalid(DeviceException.CREDENTIALS_INVALID, "Unknown field '" + field + "'; the fields are "
                        + String.join(", ", new java.util.TreeSet<>(CREDENTIAL_FIELDS)) + ".");
            }
        }
        CredentialsUpdate.Builder b = CredentialsUpdate.newBuilder();
        if (body.contains("mqttUsername") || body.contains("mqttPassword")) {
            b.mqtt(string(body, "mqttUsername"), string(body, "mqttPassword"));
        }
        b.mqttPasswordHash(string(body, "mqttPasswordHash"));
        if (body.contains("pskIdentity") || body.contains("pskKey")) {
            b.psk(string(body, "pskIdentity"), string(body, "pskKey"));
        }
        b.x509(string(body, "x509Sha256"));
        if (body.getOrNull("remove") instanceof JsonArray remove) {
            for (JsonValue v : remove) {
                String what = v instanceof JsonString s ? s.value() : String.valueOf(v);
                switch (what) {
                    case "mqtt" -> b.removeMqtt();
                    case "psk" -> b.removePsk();
                    case "x509" -> b.removeX509();
                    default -> throw DeviceException.invalid(DeviceException.CREDENTIALS_INVALID,
                            "\"remove\" takes \"mqtt\", \"psk\" and \"x509\", not " + v + ".");
                }
            }
        } else if (body.contains("remove")) {
            throw DeviceException.invalid(DeviceException.CREDENTIALS_INVALID, "\"remove\" is an array such as [\"psk\"].");
        }
        answer(exchange, 200, registry.updateCredentials(id, b.build(), user.name(), string(body, "reason")).toJson());
    }

    private void audit(Exchange exchange, ApiUser user, String id, Map<String, String> q) {
        Instant since = null;
        if (q.get("since") != null) {
            try {
                since = Instant.parse(q.get("since"));
            } catch (DateTimeParseException e) {
                throw invalidQuery("since must be an instant such as 2026-01-31T12:00:00Z, not '" + q.get("since") + "'");
            }
        }
        int limit = integer(q, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        Predicate<ThingId> admin = administers(user);
        List<JsonValue> items = new ArrayList<>();
        for (AuditEntry e : registry.audit(new AuditQuery(id, since, limit))) {
            Device d = registry.device(e.deviceId()).orElse(null);
            if (d != null && admin.test(d.thingId())) {
                items.add(e.toJson());
            }
        }
        answer(exchange, 200, JsonObject.of("items", JsonArray.of(items)));
    }

    // ---- authorization ----------------------------------------------------------------------------------------------

    private static boolean mayAdminister(ApiUser user, ThingId thingId) {
        return user.permissions().allows(thingId.namespace(), AccessLevel.ADMIN);
    }

    private static Predicate<ThingId> administers(ApiUser user) {
        return id -> mayAdminister(user, id);
    }

    /** The device, when the caller may administer it; 404 otherwise (as for a device that does not exist). */
    private Device visible(ApiUser user, String id) {
        Device d = registry.device(id).orElse(null);
        if (d == null || !mayAdminister(user, d.thingId())) {
            throw DeviceException.notFound(id);
        }
        return d;
    }

    private static TwinException forbidden(ApiUser user, String namespace) {
        return new TwinException(403, "devices:access.forbidden", "'" + user.name() + "' may not provision devices in the namespace '"
                + namespace + "': no ADMIN access there.", "Ask an administrator for a grant: rosetta:grant " + user.name() + " "
                + (namespace.isEmpty() ? "_" : namespace) + " ADMIN");
    }

    // ---- request parts ----------------------------------------------------------------------------------------------

    private void answer(Exchange exchange, int status, JsonValue body) {
        HttpAnswers.json(exchange, status, body);
        metrics.answer();
    }

    /** The method, when it is one of {@code allowed}; 405 with an Allow header otherwise. */
    private static String allow(Exchange exchange, String method, String allowed) {
        for (String m : allowed.split(",\\s*")) {
            if (m.equals(method)) {
                return m;
            }
        }
        exchange.setProperty(ALLOW, allowed);
        throw new TwinException(405, "gateway:method.notallowed", "The method " + method + " is not allowed here.", "Allowed methods: " + allowed + ".");
    }

    private static JsonObject jsonObject(Exchange exchange) {
        String type = HttpAnswers.header(exchange.getMessage(), "Content-Type");
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (!t.startsWith("application/json") && !t.startsWith("application/merge-patch+json")) {
            throw new TwinException(415, "mediatype.unsupported", "The Media-Type <" + type + "> is not supported here.",
                    "Send application/json.");
        }
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            throw DeviceException.invalid(DeviceException.INVALID, "The request needs a JSON object as its body.");
        }
        JsonValue v = Json.parse(body);
        if (!(v instanceof JsonObject o)) {
            throw DeviceException.invalid(DeviceException.INVALID, "The body must be a JSON object, not " + v.typeName() + ".");
        }
        return o;
    }

    private static String string(JsonObject o, String key) {
        JsonValue v = o.getOrNull(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw DeviceException.invalid(DeviceException.INVALID, key + " must be a string, not " + v.typeName() + ".");
    }

    private static LifecycleState state(String text) {
        try {
            return LifecycleState.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DeviceException.invalid(DeviceException.INVALID, "Unknown lifecycle state '" + text
                    + "': PROVISIONED, ACTIVE, SUSPENDED or DECOMMISSIONED.");
        }
    }

    private static int integer(Map<String, String> q, String key, int min, int max, int dflt) {
        String v = q.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw invalidQuery(key + " must be from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalidQuery(key + " must be a number, not '" + v + "'");
        }
    }

    private static boolean bool(Map<String, String> q, String key) {
        String v = q.get(key);
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.isEmpty() || v.equalsIgnoreCase("true")) {
            return true;
        }
        throw invalidQuery(key + " must be true or false, not '" + v + "'");
    }

    private static TwinException invalidQuery(String message) {
        return new TwinException(400, "devices:query.invalid", "Invalid query: " + message + ".",
                "See GET /api/2/devices in docs/ADMIN.md for the parameters.");
    }

    private static TwinException notFound(Message in) {
        return new TwinException(404, "gateway:resource.notfound", "The resource '" + path(in) + "' does not exist.",
                "The device resources are /api/2/devices, /api/2/devices/_import, /api/2/devices/_audit and "
                        + "/api/2/devices/{id}[/lifecycle|/config|/credentials|/audit].");
    }

    /** The request's path, still percent-encoded, from the raw request URI. */
    private static String path(Message in) {
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            uri = in.getHeader(Exchange.HTTP_PATH, String.class);
        }
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** The decoded segments after {@value #BASE}; 404 for a path outside it. */
    private static List<String> segments(String path) {
        if (!path.equals(BASE) && !path.startsWith(BASE + "/")) {
            throw new TwinException(404, "gateway:resource.notfound", "The resource '" + path + "' does not exist.", "See docs/ADMIN.md.");
        }
        List<String> out = new ArrayList<>();
        for (String s : path.substring(BASE.length()).split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
