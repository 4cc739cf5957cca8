package io.rosetta.api.internal;

import io.rosetta.api.internal.auth.Access;
import io.rosetta.api.internal.auth.BasicAuthProcessor;
import io.rosetta.api.security.ApiUser;
import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The discovery inbox over HTTP:
 * <ul>
 * <li>{@code GET /api/2/inbox[?status=PENDING|APPROVED|REJECTED]}: the entries the caller may read (READ on their namespace);</li>
 * <li>{@code GET /api/2/inbox/{thingId}}: one entry; {@code DELETE /api/2/inbox/{thingId}}: removes it (lifts a rejection);</li>
 * <li>{@code POST /api/2/inbox/{thingId}/approve}: creates the twin and lets the binding serve the device;</li>
 * <li>{@code POST /api/2/inbox/{thingId}/reject}: drops the device's messages until the entry is removed.</li>
 * </ul>
 * As in the things API, an entry in a namespace the caller may not read does not exist for them (404), a change
 * needs WRITE on the namespace (ADMIN includes it; 403 otherwise), and the caller's name is kept as who decided.
 */
final class InboxApi {

    static final String BASE = "/api/2/inbox";
    private static final List<String> GET = List.of("GET");
    private static final List<String> GET_DELETE = List.of("GET", "DELETE");
    private static final List<String> POST = List.of("POST");

    private final Inbox inbox;
    private final ApiMetrics metrics;

    InboxApi(Inbox inbox, ApiMetrics metrics) {
        this.inbox = inbox;
        this.metrics = metrics;
    }

    void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        String path = ThingsApi.path(in);
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        ApiUser user = exchange.getProperty(BasicAuthProcessor.USER, ApiUser.class);
        String rest = path.substring(BASE.length());
        if (!rest.isEmpty() && rest.charAt(0) != '/') {
            throw ApiErrors.resourceNotFound(path);
        }
        String[] segments = rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/", -1);
        if (segments.length == 0) {
            allow(exchange, method, path, GET);
            list(exchange, user, QueryParameters.parse(in.getHeader(Exchange.HTTP_QUERY, String.class)));
            return;
        }
        if (segments.length > 2 || segments[0].isEmpty()) {
            throw ApiErrors.resourceNotFound(path);
        }
        ThingId id = thingId(segments[0]);
        if (segments.length == 1) {
            allow(exchange, method, path, GET_DELETE);
            InboxEntry entry = readable(user, id);
            if (method.equals("GET")) {
                HttpResponses.json(exchange, 200, entry.toJson());
                metrics.answered(200);
            } else {
                Access.requireWrite(user, id.namespace(), "the inbox entry of '" + id + "'");
                if (!inbox.remove(id)) {
                    throw notFound(id);
                }
                HttpResponses.noContent(exchange, null);
                metrics.answered(204);
            }
            return;
        }
        String action = segments[1];
        if (!action.equals("approve") && !action.equals("reject")) {
            throw ApiErrors.resourceNotFound(path);
        }
        allow(exchange, method, path, POST);
        readable(user, id);
        Access.requireWrite(user, id.namespace(), "the inbox entry of '" + id + "'");
        InboxEntry decided = action.equals("approve") ? inbox.approve(id, user.name()) : inbox.reject(id, user.name());
        HttpResponses.json(exchange, 200, decided.toJson());
        metrics.answered(200);
    }

    private void list(Exchange exchange, ApiUser user, QueryParameters query) {
        Access.requireAnyRead(user);
        InboxEntry.Status status;
        try {
            status = query.get("status").map(InboxEntry.Status::parse).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new TwinException(400, "inbox:status.invalid", "The query parameter status is not valid: " + e.getMessage() + ".",
                    "Use status=PENDING, status=APPROVED or status=REJECTED, or leave it out.");
        }
        List<JsonValue> out = new ArrayList<>();
        for (InboxEntry e : inbox.entries()) {
            if ((status == null || e.status() == status) && Access.mayRead(user, e.thingId())) {
                out.add(e.toJson());
            }
        }
        HttpResponses.json(exchange, 200, JsonArray.of(out));
        metrics.answered(200);
    }

    /** The entry, when it exists and the caller may read its namespace; 404 otherwise. */
    private InboxEntry readable(ApiUser user, ThingId id) {
        if (!Access.mayRead(user, id)) {
            if (user == null) {
                Access.requireRead(null, id); // 401
            }
            throw notFound(id);
        }
        return inbox.entry(id).orElseThrow(() -> notFound(id));
    }

    private static TwinException notFound(ThingId id) {
        return new TwinException(404, "inbox:entry.notfound", "The inbox has no entry for the Thing with ID '" + id + "'.",
                "GET /api/2/inbox lists the discovered devices.");
    }

    private static ThingId thingId(String segment) {
        String text = ThingsPath.decode(segment);
        try {
            return ThingId.of(text);
        } catch (InvalidIdException e) {
            throw new TwinException(400, "things:id.invalid", "The Thing ID '" + text + "' is not valid: " + e.getMessage() + ".",
                    "A thing id is namespace:name, as the inbox lists it.");
        }
    }

    private static void allow(Exchange exchange, String method, String path, List<String> allowed) {
        if (!allowed.contains(method)) {
            exchange.setProperty(ThingsApi.ALLOW, String.join(", ", allowed));
            throw ApiErrors.methodNotAllowed(method, path, allowed);
        }
    }
}
