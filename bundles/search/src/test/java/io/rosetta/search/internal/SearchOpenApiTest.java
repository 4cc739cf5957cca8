package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.openapi.OpenApiContract;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search's OpenAPI fragment against its routes: every documented operation, called with the fragment's examples,
 * answers with a documented success, and as documented without credentials (401), without any grant (403), with a
 * malformed RQL filter (400) and with another media type (415); methods the fragment does not list are refused (405).
 */
class SearchOpenApiTest {

    private static final String MALFORMED = "eq(attributes/location/room,\"kitchen\"";

    @TempDir
    static Path policyDir;
    private static SearchServer server;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        server = new SearchServer(policyDir, List.of(
                "{\"thingId\":\"org.example:plug-1\",\"attributes\":{\"location\":{\"room\":\"kitchen\"}}}",
                "{\"thingId\":\"org.example:plug-2\",\"attributes\":{\"location\":{\"room\":\"hall\"}}}",
                "{\"thingId\":\"org.other:plug-3\",\"attributes\":{\"location\":{\"room\":\"kitchen\"}}}"));
        contract = new OpenApiContract(new SearchDocumentation().openApiFragment(), server.uri("/"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theComponentServesTheShippedFragmentWhoseReferencesResolve() {
        assertThat(contract.assertShipped(new SearchDocumentation(), "rosetta-search")).isGreaterThan(10);
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        int operations = contract.forEach(op -> true, op -> {
            HttpResponse<String> r = contract.assertSuccess(op, contract.request(op, Map.of(), SearchServer.ALICE));
            // the examples find the one kitchen thing of org.example
            if (op.path().endsWith("/count")) {
                assertThat(r.body()).as(op.what()).isEqualTo("1");
            } else {
                JsonObject page = Json.parseObject(r.body());
                assertThat(page.getOrNull("items").asArray()).as(op.what()).hasSize(1);
                assertThat(((JsonString) page.getOrNull("items").asArray().get(0).asObject().getOrNull("thingId")).value())
                        .isEqualTo("org.example:plug-1");
            }

            contract.assertAnswer(op, contract.request(op, Map.of(), null), 401);
            contract.assertAnswer(op, contract.request(op, Map.of(), SearchServer.CAROL), 403);
        });
        assertThat(operations).isEqualTo(4);
    }

    @Test
    void aMalformedFilterIsADocumented400() throws Exception {
        int checked = contract.forEach(op -> true, op -> {
            assertThat(op.documents("400")).as(op.what()).isTrue();
            HttpResponse<String> r = contract.assertAnswer(op, contract.request(op, Map.of("filter", MALFORMED), SearchServer.ALICE), 400);
            assertThat(Json.parseObject(r.body()).getOrNull("error")).isEqualTo(JsonString.of("rql.expression.invalid"));
        });
        assertThat(checked).isEqualTo(4);
    }

    @Test
    void anotherMediaTypeIsADocumented415() throws Exception {
        assertThat(contract.assertOtherMediaTypeRefused(op -> contract.request(op, Map.of(), SearchServer.ALICE)
                .method("POST", HttpRequest.BodyPublishers.ofString("filter")))).isEqualTo(2);
    }

    @Test
    void methodsTheFragmentDoesNotListAre405() throws Exception {
        assertThat(contract.assertUndocumentedMethodsRefused(Map.of(), SearchServer.ALICE)).isEqualTo(6);
    }
}
