package io.rosetta.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks the operations of an OpenAPI document (or fragment) and calls them on a server: requests are built from
 * the document's own examples (path and query parameters, request bodies), answers are checked against the
 * documented status codes and media types. The tests of every bundle that documents a part of the API use it.
 */
public final class OpenApiContract {

    /** The methods an OpenAPI path item may list and a server must refuse (405) when it does not. */
    public static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

    /** One documented operation. */
    public record Operation(String path, String method, JsonObject definition) {

        public String what() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }

        public Set<String> documentedCodes() {
            return Set.copyOf(definition.get("responses").orElseThrow().asObject().keys());
        }

        public boolean documents(String code) {
            return documentedCodes().contains(code);
        }

        public boolean hasBody() {
            return definition.contains("requestBody");
        }
    }

    private final JsonObject doc;
    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param doc    the document whose operations are called; {@code $ref}s into {@code #/components} that it does not
     *               define itself are looked up in {@code shared} (the API's base document), so a fragment can be checked alone
     * @param server the server's origin, e.g. {@code http://127.0.0.1:8181}
     */
    public OpenApiContract(JsonObject doc, URI server) {
        this.doc = doc;
        this.server = server;
    }

    /** The API's base document (the shared components that fragments refer to). */
    public static JsonObject baseDocument() {
        return ApiDocumentation.resource(OpenApiContract.class, "/io/rosetta/api/internal/openapi.json");
    }

    public JsonObject document() {
        return doc;
    }

    /** Every operation, in the document's order. */
    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        JsonObject paths = doc.get("paths").orElseThrow().asObject();
        for (String path : paths.keys()) {
            JsonObject item = paths.get(path).orElseThrow().asObject();
            for (String method : item.keys()) {
                if (METHODS.contains(method)) {
                    out.add(new Operation(path, method, item.get(method).orElseThrow().asObject()));
                }
            }
        }
        return out;
    }

    /** The methods of {@link #METHODS} that the document does not list for the path. */
    public List<String> undocumentedMethods(String path) {
        JsonObject item = doc.getValue(JsonPointer.of("paths", path)).orElseThrow().asObject();
        return METHODS.stream().filter(m -> !item.contains(m)).toList();
    }

    /**
     * A request for the operation: path parameters from {@code values} or else their examples; query parameters
     * that are required, have an example or are named in {@code values} (then with that value); the first documented
     * request body's example with its media type (the fields of a form example named in {@code values} with that value).
     * {@code authorization} may be {@code null} (anonymous).
     */
    public HttpRequest.Builder request(Operation op, Map<String, String> values, String authorization) {
        String url = op.path();
        List<String> query = new ArrayList<>();
        for (JsonValue p : op.definition().get("parameters").map(JsonValue::asArray).orElse(JsonArray.empty())) {
            JsonObject parameter = resolve(p);
            String name = string(parameter, "name");
            String in = string(parameter, "in");
            String value = values.containsKey(name) ? values.get(name) : parameter.get("example").map(OpenApiContract::text).orElse(null);
            if (in.equals("path")) {
                assertThat(value).as(op.what() + ": path parameter " + name + " needs an example").isNotNull();
                url = url.replace("{" + name + "}", value);
            } else if (in.equals("query") && value != null
                    && (values.containsKey(name) || parameter.contains("example") || parameter.get("required").map(JsonValue.of(true)::equals).orElse(false))) {
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        HttpRequest.Builder b = builder(fill(url, values) + (query.isEmpty() ? "" : "?" + String.join("&", query)), authorization);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (op.hasBody()) {
            JsonObject content = op.definition().getValue(JsonPointer.of("requestBody", "content")).orElseThrow().asObject();
            String mediaType = content.keyAt(0);
            JsonValue example = content.valueAt(0).asObject().get("example")
                    .orElseThrow(() -> new AssertionError(op.what() + ": the request body needs an example"));
            b.header("Content-Type", mediaType);
            body = HttpRequest.BodyPublishers.ofString(bodyText(mediaType, example, values));
        }
        return b.method(op.method().toUpperCase(Locale.ROOT), body);
    }

    /** A request with a method the document does not list for the path: placeholders from {@code values}, a JSON body. */
    public HttpRequest.Builder undocumented(String path, String method, Map<String, String> values, String authorization) {
        return builder(fill(path, values), authorization)
                .header("Content-Type", method.equals("patch") ? "application/merge-patch+json" : "application/json")
                .method(method.toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.ofString("{}"));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Asserts that the answer's status is documented for the operation and, when the documented response has content,
     * that the answer's media type is one of it.
     */
    public void assertDocumented(Operation op, HttpResponse<?> r) {
        String code = String.valueOf(r.statusCode());
        assertThat(op.documentedCodes()).as(op.what() + " answered " + r.statusCode() + ": " + r.body()).contains(code);
        JsonObject response = resolve(op.definition().getValue(JsonPointer.of("responses", code)).orElseThrow());
        if (response.getOrNull("content") instanceof JsonObject content && !content.isEmpty()) {
            String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
            assertThat(content.keys()).as(op.what() + " " + code + " Content-Type").contains(type);
        }
    }

    /** A check of one operation (typically requests and assertions on the answers). */
    @FunctionalInterface
    public interface Check {
        void check(Operation op) throws Exception;
    }

    /** Runs the check for every operation of the document that {@code which} accepts; returns how many were checked. */
    public int forEach(Predicate<Operation> which, Check check) throws Exception {
        int checked = 0;
        for (Operation op : operations()) {
            if (which.test(op)) {
                check.check(op);
                checked++;
            }
        }
        return checked;
    }

    /**
     * Sends the request for the operation and asserts that the answer has the status and is documented
     * ({@link #assertDocumented}); returns the answer.
     */
    public HttpResponse<String> assertAnswer(Operation op, HttpRequest.Builder request, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request);
        assertThat(r.statusCode()).as(op.what() + ": " + r.body()).isEqualTo(status);
        assertDocumented(op, r);
        return r;
    }

    /** Sends the request for the operation and asserts a documented success (2xx); returns the answer. */
    public HttpResponse<String> assertSuccess(Operation op, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request);
        assertThat(r.statusCode()).as(op.what() + ": " + r.body()).isBetween(200, 299);
        assertDocumented(op, r);
        return r;
    }

    /**
     * For every operation that takes a request body, sends its request (as {@code request} builds it) with
     * {@code Content-Type: text/plain} and asserts a documented 415; asserts that the operations without a body do not
     * document 415. Returns how many operations were called.
     */
    public int assertOtherMediaTypeRefused(Function<Operation, HttpRequest.Builder> request) throws IOException, InterruptedException {
        int checked = 0;
        for (Operation op : operations()) {
            if (!op.hasBody()) {
                assertThat(op.documents("415")).as(op.what()).isFalse();
                continue;
            }
            assertAnswer(op, request.apply(op).setHeader("Content-Type", "text/plain"), 415);
            checked++;
        }
        return checked;
    }

    /**
     * Asserts that the contribution is named {@code name} and serves the fragment shipped as {@code openapi.json} next to
     * its class, then that every reference of this contract's document resolves; returns how many references there are.
     */
    public int assertShipped(ApiDocumentation documentation, String name) {
        assertThat(documentation.name()).isEqualTo(name);
        assertThat(documentation.openApiFragment()).isEqualTo(ApiDocumentation.resource(documentation.getClass(), "openapi.json"));
        return assertReferencesResolve();
    }

    /**
     * Calls every method the document does not list for each of its paths and asserts 405; returns how many were called.
     */
    public int assertUndocumentedMethodsRefused(Map<String, String> values, String authorization) throws IOException, InterruptedException {
        int checked = 0;
        for (String path : doc.get("paths").orElseThrow().asObject().keys()) {
            for (String method : undocumentedMethods(path)) {
                HttpResponse<String> r = send(undocumented(path, method, values, authorization));
                assertThat(r.statusCode()).as(method.toUpperCase(Locale.ROOT) + " " + path + ": " + r.body()).isEqualTo(405);
                checked++;
            }
        }
        return checked;
    }

    /** Asserts that every {@code $ref} in the document resolves (in the document or the base document); returns how many there are. */
    public int assertReferencesResolve() {
        List<JsonObject> refs = new ArrayList<>();
        collectReferences(doc, refs);
        refs.forEach(this::resolve);
        return refs.size();
    }

    private static void collectReferences(JsonValue v, List<JsonObject> out) {
        if (v instanceof JsonObject o) {
            if (o.getOrNull("$ref") instanceof JsonString) {
                out.add(o);
            }
            o.forEach((k, child) -> collectReferences(child, out));
        } else if (v instanceof JsonArray a) {
            a.forEach(child -> collectReferences(child, out));
        }
    }

    /** The object itself, or the one its {@code $ref} names (in this document, else in the base document). */
    public JsonObject resolve(JsonValue maybeRef) {
        JsonObject o = maybeRef.asObject();
        if (!(o.getOrNull("$ref") instanceof JsonString ref)) {
            return o;
        }
        assertThat(ref.value()).startsWith("#/");
        JsonPointer pointer = JsonPointer.of(ref.value().substring(1));
        return resolve(doc.getValue(pointer).or(() -> baseDocument().getValue(pointer))
                .orElseThrow(() -> new AssertionError("unresolved $ref " + ref.value())));
    }

    private HttpRequest.Builder builder(String pathAndQuery, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static String fill(String path, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(path);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            assertThat(value).as(path + ": a value for {" + m.group(1) + "}").isNotNull();
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String bodyText(String mediaType, JsonValue example, Map<String, String> values) {
        if (mediaType.equals("application/x-www-form-urlencoded") && example instanceof JsonObject form) {
            List<String> pairs = new ArrayList<>();
            form.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(values.containsKey(k) ? values.get(k) : text(v), StandardCharsets.UTF_8)));
            return String.join("&", pairs);
        }
        if (!mediaType.contains("json") && example instanceof JsonString s) {
            return s.value();
        }
        return Json.write(example);
    }

    private static String text(JsonValue v) {
        return v instanceof JsonString s ? s.value() : Json.write(v);
    }

    private static String string(JsonObject o, String key) {
        return ((JsonString) o.get(key).orElseThrow()).value();
    }
}
