package io.rosetta.search.internal;

import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import io.rosetta.security.Permissions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Ditto's search resources: {@code GET|POST /api/2/search/things} answers
 * {@code {"items":[..],"nextCursor":".."}} (with {@code limit(..)}: {@code "nextPageOffset"}),
 * {@code GET|POST /api/2/search/things/count} answers the number of matching things.
 */
final class SearchApi {

    static final String BASE = "/api/2/search/things";
    static final String COUNT = BASE + "/count";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ThingSearch search;
    private final SearchMetrics metrics;

    SearchApi(ThingSearch search, SearchMetrics metrics) {
        this.search = search;
        this.metrics = metrics;
    }

    void handle(Exchange exchange) {
        long start = System.nanoTime();
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = path(in);
        if (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        boolean count = path.equals(COUNT);
        if (!count && !path.equals(BASE)) {
            throw SearchErrors.resourceNotFound(path);
        }
        if (!"GET".equals(method) && !"POST".equals(method)) {
            throw SearchErrors.methodNotAllowed(method, path);
        }
        String form = null;
        if ("POST".equals(method)) {
            String type = RequestHeaders.get(in, "Content-Type");
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith(FORM)) {
                form = formBody(in);
            } else if (type != null && !type.isBlank()) {
                throw new TwinException(415, "mediatype.unsupported", "The Media-Type <" + type + "> is not supported for this resource.",
                        "Allowed Media-Type is: <" + FORM + ">.");
            }
        }
        SearchRequest request = SearchRequest.parse(in.getHeader(Exchange.HTTP_QUERY, String.class), form);
        Permissions permissions = permissions(exchange);
        Filter filter = readableOnly(filter(request), permissions);
        if (count) {
            long n = search.count(filter);
            HttpAnswers.json(exchange, 200, JsonNumber.of(n));
            metrics.counted(System.nanoTime() - start);
            return;
        }
        SearchOptions options;
        try {
            options = RqlParser.parseOptions(request.get("option"));
        } catch (RqlException e) {
            throw SearchErrors.invalidOption(e.getMessage());
        }
        FieldSelector fields = fields(request.get("fields"));
        List<SortKey> sort = options.effectiveSort();
        String query = filter + "|" + options.sortText() + "|" + namespacesText(request);
        List<ValueKey> after = null;
        if (options.cursor() != null) {
            try {
                after = SearchCursor.decode(options.cursor(), query, sort.size());
            } catch (IllegalArgumentException e) {
                throw SearchErrors.invalidOption(e.getMessage());
            }
        }
        SearchIndex.Page page = search.search(filter, options, after);
        List<JsonValue> items = new ArrayList<>(page.items().size());
        for (Thing t : page.items()) {
            items.add(fields == null ? t.toJson() : t.toJson(fields));
        }
        JsonObject.Builder body = JsonObject.newBuilder().set("items", JsonArray.of(items));
        if (options.limit()) {
            body.set("nextPageOffset", JsonNumber.of(page.more() ? options.offset() + page.items().size() : -1));
        } else if (page.more() && !page.items().isEmpty()) {
            Thing last = page.items().get(page.items().size() - 1);
            body.set("nextCursor", JsonString.of(SearchCursor.encode(query, SearchIndex.sortValues(last, sort))));
        }
        HttpAnswers.json(exchange, 200, body.build());
        metrics.searched(System.nanoTime() - start);
    }

    private static Permissions permissions(Exchange exchange) {
        ApiUser user = exchange.getProperty(SearchRoutes.USER, ApiUser.class);
        if (user == null) {
            throw Authenticator.unauthenticated("Authentication is required.");
        }
        if (!user.permissions().readsAnything()) {
            throw new TwinException(403, "gateway:access.forbidden", "'" + user.name() + "' has no access to any namespace.",
                    "Ask an administrator for a grant: rosetta:grant " + user.name() + " <namespace> READ");
        }
        return user.permissions();
    }

    /**
     * The filter, restricted to the namespaces the caller may read ({@code in(_namespace,...)}), so that neither the
     * results nor the count nor the paging tell anything about other namespaces.
     */
    static Filter readableOnly(Filter filter, Permissions permissions) {
        if (permissions.readsEverything()) {
            return filter;
        }
        // sorted: the restriction is part of the query text that binds a cursor
        Set<ValueKey> readable = new TreeSet<>();
        permissions.readableNamespaces().forEach(ns -> readable.add(ValueKey.of(ns)));
        Filter in = new Filter.In(FieldPath.of("_namespace"), new LinkedHashSet<>(readable));
        return filter instanceof Filter.All ? in : new Filter.And(List.of(in, filter));
    }

    /** The filter, restricted to the {@code namespaces} given. */
    private static Filter filter(SearchRequest request) {
        Filter filter;
        try {
            filter = RqlParser.parseFilter(request.get("filter"));
        } catch (RqlException e) {
            throw SearchErrors.invalidFilter(e);
        }
        Set<ValueKey> namespaces = namespaces(request);
        if (namespaces == null) {
            return filter;
        }
        Filter in = new Filter.In(FieldPath.of("_namespace"), namespaces);
        return filter instanceof Filter.All ? in : new Filter.And(List.of(in, filter));
    }

    private static Set<ValueKey> namespaces(SearchRequest request) {
        String text = request.get("namespaces");
        if (text == null) {
            return null;
        }
        Set<ValueKey> out = new LinkedHashSet<>();
        for (String ns : text.split(",")) {
            String n = ns.trim();
            if (!n.isEmpty()) {
                out.add(ValueKey.of(n));
            }
        }
        if (out.isEmpty()) {
            throw SearchErrors.invalidParameter("The parameter 'namespaces' names no namespace; leave it out to search all of them.");
        }
        return out;
    }

    private static String namespacesText(SearchRequest request) {
        String text = request.get("namespaces");
        return text == null ? "" : text;
    }

    private static FieldSelector fields(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return FieldSelector.of(text);
        } catch (RuntimeException e) {
            throw SearchErrors.invalidFieldSelector(text, e.getMessage());
        }
    }

    /**
     * The form body, URL-encoded. platform-http hands a form over as parsed attributes (the body
     * itself is consumed); they are encoded again so that one parser reads query and form alike.
     */
    private static String formBody(Message in) {
        if (in instanceof HttpMessage http && http.getRequest() != null && !http.getRequest().formAttributes().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> e : http.getRequest().formAttributes()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
            return sb.toString();
        }
        return in.getBody(String.class);
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
}
