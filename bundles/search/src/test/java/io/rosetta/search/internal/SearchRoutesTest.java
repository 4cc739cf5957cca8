package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.registry.Precondition;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The search route on a real platform-http server on a free port, over HTTP. */
class SearchRoutesTest {

    private static final String AUTH = SearchServer.ALICE;
    /** bob may read org.example only; carol has no grant at all. */
    private static final String BOB = SearchServer.BOB;
    private static final String CAROL = SearchServer.CAROL;

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path policyDir;

    private static SearchServer server;
    private static TwinRegistryImpl registry;
    private static SearchMetrics metrics;
    private static int port;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        List<String> things = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            things.add("{\"thingId\":\"" + (i % 3 == 0 ? "org.other" : "org.example") + ":sensor-" + String.format("%02d", i)
                    + "\",\"attributes\":{\"room\":\"" + (i % 2 == 0 ? "kitchen" : "hall") + "\",\"n\":" + i
                    + "},\"features\":{\"temperature\":{\"properties\":{\"value\":" + (15 + i / 4.0) + "}}}}");
        }
        server = new SearchServer(policyDir, things);
        registry = server.registry;
        metrics = server.metrics;
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void searchesWithFilterSortSizeAndFields() throws Exception {
        HttpResponse<String> r = get("/api/2/search/things?filter=" + enc("and(eq(attributes/room,\"kitchen\"),gt(attributes/n,40))")
                + "&option=" + enc("sort(-attributes/n),size(3)") + "&fields=thingId,attributes/n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject body = Json.parseObject(r.body());
        assertThat(ids(body)).containsExactly("org.example:sensor-58", "org.example:sensor-56", "org.other:sensor-54");
        assertThat(body.getValue(JsonPointer.of("items")).orElseThrow().asArray().get(0))
                .isEqualTo(Json.parse("{\"thingId\":\"org.example:sensor-58\",\"attributes\":{\"n\":58}}"));
        assertThat(body.contains("nextCursor")).isTrue();
        assertThat(r.headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void pagesWithNextCursorUntilTheEnd() throws Exception {
        String filter = "filter=" + enc("eq(attributes/room,\"hall\")");
        List<String> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String option = "size(7)" + (cursor == null ? "" : ",cursor(" + cursor + ")");
            JsonObject body = Json.parseObject(get("/api/2/search/things?" + filter + "&option=" + enc(option)).body());
            all.addAll(ids(body));
            cursor = body.getOrNull("nextCursor") instanceof JsonString s ? s.value() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(5);
        assertThat(all).hasSize(30).isSorted().doesNotHaveDuplicates();
        // a cursor used with another filter is refused
        String first = ((JsonString) Json.parseObject(get("/api/2/search/things?" + filter + "&option=size(2)").body()).getOrNull("nextCursor")).value();
        HttpResponse<String> other = get("/api/2/search/things?filter=" + enc("eq(attributes/room,\"kitchen\")") + "&option=" + enc("cursor(" + first + ")"));
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(error(other)).isEqualTo("thing-search:search.option.invalid");
        assertThat(get("/api/2/search/things?option=" + enc("cursor(bm90IGEgY3Vyc29y)")).statusCode()).isEqualTo(400);
    }

    @Test
    void limitAnswersWithNextPageOffset() throws Exception {
        JsonObject body = Json.parseObject(get("/api/2/search/things?option=" + enc("sort(+attributes/n),limit(55,10)")).body());
        assertThat(ids(body)).hasSize(5);
        assertThat(body.getOrNull("nextPageOffset")).isEqualTo(JsonValue.of(-1));
        body = Json.parseObject(get("/api/2/search/things?option=" + enc("sort(+attributes/n),limit(0,10)")).body());
        assertThat(body.getOrNull("nextPageOffset")).isEqualTo(JsonValue.of(10));
    }

    @Test
    void countsAndRestrictsToNamespaces() throws Exception {
        assertThat(get("/api/2/search/things/count").body()).isEqualTo("60");
        assertThat(get("/api/2/search/things/count?filter=" + enc("eq(attributes/room,\"kitchen\")")).body()).isEqualTo("30");
        assertThat(get("/api/2/search/things/count?namespaces=org.other").body()).isEqualTo("20");
        assertThat(get("/api/2/search/things/count?namespaces=org.other,org.example&filter=" + enc("lt(attributes/n,10)")).body()).isEqualTo("10");
        JsonObject body = Json.parseObject(get("/api/2/search/things?namespaces=org.other&option=size(200)").body());
        assertThat(ids(body)).hasSize(20).allMatch(id -> id.startsWith("org.other:"));
        // POST with a form body, as Ditto accepts it
        HttpResponse<String> post = send(request("/api/2/search/things/count").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("filter=" + enc("eq(attributes/room,\"hall\")") + "&namespaces=org.example")));
        assertThat(post.body()).isEqualTo("20");
    }

    @Test
    void followsChangesOfTheRegistry() throws Exception {
        registry.merge(io.rosetta.core.model.ThingId.of("org.example:sensor-01"), JsonPointer.of("attributes/room"), JsonValue.of("attic"),
                Precondition.none());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(get("/api/2/search/things?filter=" + enc("eq(attributes/room,\"attic\")")).body()).contains("org.example:sensor-01"));
        registry.merge(io.rosetta.core.model.ThingId.of("org.example:sensor-01"), JsonPointer.of("attributes/room"), JsonValue.of("hall"),
                Precondition.none());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(get("/api/2/search/things/count?filter=" + enc("eq(attributes/room,\"attic\")")).body()).isEqualTo("0"));
    }

    @Test
    void refusesBadInputDittoStyleAndCountsIt() throws Exception {
        long before = metrics.refusals(400, "rql.expression.invalid");
        HttpResponse<String> r = get("/api/2/search/things?filter=" + enc("and(eq(attributes/room,\"hall\"),gt(attributes/n 3))"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject error = Json.parseObject(r.body());
        assertThat(error.getOrNull("status")).isEqualTo(JsonValue.of(400));
        assertThat(error(r)).isEqualTo("rql.expression.invalid");
        assertThat(((JsonString) error.getOrNull("message")).value()).contains("position 47").contains("expected ','");
        assertThat(error.contains("description")).isTrue();
        assertThat(get("/api/2/search/things/count?filter=" + enc("exist(thingId)")).statusCode()).isEqualTo(400);
        assertThat(metrics.refusals(400, "rql.expression.invalid")).isEqualTo(before + 2);

        assertThat(error(get("/api/2/search/things?option=" + enc("size(500)")))).isEqualTo("thing-search:search.option.invalid");
        assertThat(error(get("/api/2/search/things?fields=" + enc("attributes(room")))).isEqualTo("json.fieldselector.invalid");
        assertThat(error(get("/api/2/search/things?filter=" + enc("eq(thingId,\"a\")") + "&filter=" + enc("exists(thingId)"))))
                .isEqualTo("thing-search:search.parameter.invalid");
        HttpResponse<String> delete = send(request("/api/2/search/things").DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(error(get("/api/2/search/things/other"))).isEqualTo("gateway:resource.notfound");
        assertThat(metrics.refusals(405, "gateway:method.notallowed")).isEqualTo(1);
    }

    @Test
    void requiresAuthentication() throws Exception {
        for (String path : List.of("/api/2/search/things", "/api/2/search/things/count")) {
            HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(Authenticator.CHALLENGE);
            assertThat(error(none)).isEqualTo("gateway:authentication.failed");
            HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:guess".getBytes(StandardCharsets.UTF_8))).GET());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("sensor");
        }
        // credentials in the query string are not credentials
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/2/search/things?Authorization=" + enc(AUTH))).GET())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void resultsCountsAndPagesOnlyCoverReadableNamespaces() throws Exception {
        // 60 things: 20 in org.other, 40 in org.example; bob may read org.example only
        HttpResponse<String> all = as(BOB, "/api/2/search/things?option=" + enc("size(200)") + "&fields=thingId");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("org.example:sensor-01").doesNotContain("org.other");
        assertThat(Json.parseObject(all.body()).getOrNull("items").toString()).satisfies(items ->
                assertThat(items.split("thingId", -1)).hasSize(41));
        assertThat(as(BOB, "/api/2/search/things/count").body()).isEqualTo("40");
        // a filter aimed at the other namespace finds nothing, neither does asking for it by name
        assertThat(as(BOB, "/api/2/search/things/count?filter=" + enc("eq(_namespace,\"org.other\")")).body()).isEqualTo("0");
        assertThat(as(BOB, "/api/2/search/things/count?filter=" + enc("like(thingId,\"org.other*\")")).body()).isEqualTo("0");
        HttpResponse<String> named = as(BOB, "/api/2/search/things?namespaces=org.other");
        assertThat(named.statusCode()).isEqualTo(200);
        assertThat(named.body()).doesNotContain("sensor");
        // paging through everything never reaches the other namespace
        String cursorPath = "/api/2/search/things?option=" + enc("size(7)") + "&fields=thingId";
        int seen = 0;
        for (int page = 0; page < 20 && cursorPath != null; page++) {
            HttpResponse<String> r = as(BOB, cursorPath);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("org.other");
            JsonObject body = Json.parseObject(r.body());
            seen += body.getOrNull("items").toString().split("thingId", -1).length - 1;
            cursorPath = body.getOrNull("nextCursor") instanceof JsonString c
                    ? "/api/2/search/things?option=" + enc("size(7),cursor(" + c.value() + ")") + "&fields=thingId" : null;
        }
        assertThat(seen).isEqualTo(40);
        // the administrator sees all of them
        assertThat(get("/api/2/search/things/count").body()).isEqualTo("60");
    }

    @Test
    void aCallerWithoutGrantsIsForbidden() throws Exception {
        for (String path : List.of("/api/2/search/things", "/api/2/search/things/count")) {
            HttpResponse<String> r = as(CAROL, path);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(error(r)).isEqualTo("gateway:access.forbidden");
            assertThat(r.body()).doesNotContain("sensor");
        }
    }

    private static HttpResponse<String> as(String authorization, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).GET());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).header("Authorization", AUTH);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonObject body) {
        JsonArray items = body.getOrNull("items").asArray();
        List<String> out = new ArrayList<>();
        for (JsonValue item : items) {
            out.add(((JsonString) item.asObject().getOrNull("thingId")).value());
        }
        return out;
    }

    private static String error(HttpResponse<String> r) {
        return ((JsonString) Json.parseObject(r.body()).getOrNull("error")).value();
    }
}
