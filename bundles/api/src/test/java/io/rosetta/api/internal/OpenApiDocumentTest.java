package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document with the contributions of other bundles: merged, served, removed, collisions left out. */
class OpenApiDocumentTest {

    private static final JsonObject BASE = Json.parseObject("""
            {"openapi":"3.0.3","paths":{"/api/2/things":{"get":{}}},
             "components":{"schemas":{"Error":{"type":"object"}},"responses":{"unauthorized":{"description":"401"}}},
             "tags":[{"name":"Things"}]}""");

    private static ApiDocumentation contribution(String name, String fragment) {
        JsonObject json = Json.parseObject(fragment);
        return new ApiDocumentation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JsonObject openApiFragment() {
                return json;
            }
        };
    }

    private static final ApiDocumentation SEARCH = contribution("rosetta-search", """
            {"paths":{"/api/2/search/things":{"get":{"responses":{"401":{"$ref":"#/components/responses/unauthorized"}}}}},
             "components":{"schemas":{"SearchResult":{"type":"object"}},"parameters":{"filter":{"name":"filter","in":"query"}}},
             "tags":[{"name":"Search"}]}""");

    @Test
    void aContributionAddsItsPathsComponentsAndTags() {
        JsonObject merged = OpenApiDocument.merge(BASE, List.of(SEARCH));

        assertThat(merged.getValue(JsonPointer.of("paths")).orElseThrow().asObject().keys()).containsExactly("/api/2/things", "/api/2/search/things");
        assertThat(merged.getValue(JsonPointer.of("components", "schemas")).orElseThrow().asObject().keys()).containsExactly("Error", "SearchResult");
        assertThat(merged.getValue(JsonPointer.of("components", "parameters", "filter"))).isPresent();
        assertThat(merged.getValue(JsonPointer.of("components", "responses", "unauthorized"))).hasValue(Json.parse("{\"description\":\"401\"}"));
        assertThat(merged.getOrNull("tags")).isEqualTo(Json.parse("[{\"name\":\"Things\"},{\"name\":\"Search\"}]"));
        assertThat(OpenApiDocument.merge(BASE, List.of())).isEqualTo(BASE);
    }

    @Test
    void collidingPathsComponentsAndTagsAreLeftOutAndTheRestIsKept() {
        ApiDocumentation rogue = contribution("rogue", """
                {"paths":{"/api/2/things":{"delete":{}},"/api/2/search/things":{"post":{}},"/api/2/rogue":{"get":{}}},
                 "components":{"schemas":{"Error":{"type":"string"},"SearchResult":{"type":"string"},"Rogue":{}}},
                 "tags":[{"name":"Things","description":"other"},{"name":"Rogue"}]}""");

        JsonObject merged = OpenApiDocument.merge(BASE, List.of(SEARCH, rogue));

        assertThat(merged.getValue(JsonPointer.of("paths", "/api/2/things"))).hasValue(Json.parse("{\"get\":{}}"));
        assertThat(merged.getValue(JsonPointer.of("paths", "/api/2/search/things")).orElseThrow().asObject().keys()).containsExactly("get");
        assertThat(merged.getValue(JsonPointer.of("paths", "/api/2/rogue"))).isPresent();
        assertThat(merged.getValue(JsonPointer.of("components", "schemas", "Error"))).hasValue(Json.parse("{\"type\":\"object\"}"));
        assertThat(merged.getValue(JsonPointer.of("components", "schemas", "SearchResult"))).hasValue(Json.parse("{\"type\":\"object\"}"));
        assertThat(merged.getValue(JsonPointer.of("components", "schemas", "Rogue"))).isPresent();
        assertThat(merged.getOrNull("tags")).isEqualTo(Json.parse("[{\"name\":\"Things\"},{\"name\":\"Search\"},{\"name\":\"Rogue\"}]"));
    }

    @Test
    void aFragmentThatCannotBeReadIsLeftOutWhole() {
        ApiDocumentation broken = new ApiDocumentation() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public JsonObject openApiFragment() {
                throw new IllegalStateException("openapi.json is missing");
            }
        };
        ApiDocumentation noPaths = contribution("no-paths", "{\"components\":{\"schemas\":{\"X\":{}}}}");

        JsonObject merged = OpenApiDocument.merge(BASE, List.of(broken, noPaths, SEARCH));

        assertThat(merged.getValue(JsonPointer.of("components", "schemas", "X"))).isEmpty();
        assertThat(merged.getValue(JsonPointer.of("paths", "/api/2/search/things"))).isPresent();
    }

    @Test
    void theServedDocumentFollowsTheRegisteredContributions() throws Exception {
        try (ApiServer api = new ApiServer()) {
            JsonObject base = Json.parseObject(api.get("/api/2/openapi.json").body());
            assertThat(base.getValue(JsonPointer.of("paths", "/api/2/search/things"))).isEmpty();

            api.routes.addDocumentation(SEARCH);
            HttpResponse<String> with = api.get("/api/2/openapi.json");
            assertThat(with.statusCode()).isEqualTo(200);
            JsonObject merged = Json.parseObject(with.body());
            assertThat(merged.getValue(JsonPointer.of("paths", "/api/2/search/things"))).isPresent();
            assertThat(merged.getValue(JsonPointer.of("components", "schemas", "SearchResult"))).isPresent();
            assertThat(merged.getValue(JsonPointer.of("paths", "/api/2/things"))).isEqualTo(base.getValue(JsonPointer.of("paths", "/api/2/things")));

            api.routes.removeDocumentation(SEARCH);
            assertThat(Json.parseObject(api.get("/api/2/openapi.json").body())).isEqualTo(base);
        }
    }
}
