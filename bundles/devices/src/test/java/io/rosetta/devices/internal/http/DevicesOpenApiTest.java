package io.rosetta.devices.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.api.openapi.OpenApiContract;
import io.rosetta.api.openapi.OpenApiContract.Operation;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.devices.internal.ImportParser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device administration's OpenAPI fragment against its routes: every documented operation, called with the
 * fragment's examples on a device of its own, answers with a documented success; without credentials 401; without
 * ADMIN 403 where documented (and otherwise a documented answer that is not 403); for a missing device 404; for bad
 * input 400; for another media type 415; methods the fragment does not list are refused (405).
 */
class DevicesOpenApiTest {

    private static final AtomicInteger DEVICES = new AtomicInteger();

    @TempDir
    static Path dir;
    private static DevicesServer server;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() throws Exception {
        server = new DevicesServer(dir);
        contract = new OpenApiContract(new DevicesDocumentation().openApiFragment(), server.uri("/"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The path values for the operation: a device of its own in "acme", provisioned for it; an id nobody has for the
     * operations that provision (they document 201).
     */
    private static Map<String, String> values(Operation op) {
        String id = "d-" + DEVICES.incrementAndGet();
        if (op.documents("201")) {
            return Map.of("deviceId", "new-" + id);
        }
        server.registry.provision(ImportParser.spec(Json.parseObject("{\"deviceId\":\"" + id + "\",\"thingId\":\"acme:" + id
                + "\",\"model\":\"" + DevicesServer.SENSOR + "\"}")), "test", null);
        return Map.of("deviceId", id);
    }

    @Test
    void theComponentServesTheShippedFragmentWhoseReferencesResolve() {
        assertThat(contract.assertShipped(new DevicesDocumentation(), "rosetta-devices")).isGreaterThan(50);
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        int operations = contract.forEach(op -> true, op -> {
            Map<String, String> values = values(op);
            HttpResponse<String> r = contract.assertSuccess(op, contract.request(op, values, DevicesServer.ALICE));
            if (op.what().equals("POST /api/2/devices/_import")) {
                assertThat(Json.parseObject(r.body()).getOrNull("imported")).as(r.body()).isEqualTo(JsonValue.of(1));
            }

            contract.assertAnswer(op, contract.request(op, values, null), 401);
        });
        assertThat(operations).isEqualTo(12);
        assertThat(server.metrics.refusals(500, "devices:internal.error")).isZero();
    }

    @Test
    void withoutAdminTheAnswerIsA403OnlyWhereDocumented() throws Exception {
        int forbidden = 0;
        for (Operation op : contract.operations()) {
            HttpResponse<String> r = contract.send(contract.request(op, values(op), DevicesServer.CAROL));
            contract.assertDocumented(op, r);
            if (op.documents("403")) {
                assertThat(r.statusCode()).as(op.what()).isEqualTo(403);
                assertThat(Json.parseObject(r.body()).getOrNull("error")).isEqualTo(JsonString.of("devices:access.forbidden"));
                forbidden++;
            } else {
                assertThat(r.statusCode()).as(op.what() + ": " + r.body()).isNotEqualTo(403);
            }
        }
        assertThat(forbidden).isEqualTo(2);
    }

    @Test
    void aMissingDeviceIsADocumented404() throws Exception {
        int missing = contract.forEach(op -> op.path().contains("{deviceId}") && !op.documents("201"),
                op -> contract.assertAnswer(op, contract.request(op, Map.of("deviceId", "nobody"), DevicesServer.ALICE), 404));
        assertThat(missing).isEqualTo(7);
    }

    /** Malformed JSON where the operation takes JSON, else a query parameter of the wrong type. */
    @Test
    void badInputIsADocumented400() throws Exception {
        int checked = contract.forEach(op -> op.documents("400"), op -> {
            Map<String, String> values = values(op);
            HttpRequest.Builder request;
            if (op.hasBody() && firstMediaType(op).contains("json")) {
                request = contract.request(op, values, DevicesServer.ALICE).method(op.method().toUpperCase(), HttpRequest.BodyPublishers.ofString("{\"state\":"));
            } else {
                String parameter = typedQueryParameter(op);
                assertThat(parameter).as(op.what() + " documents 400 but has neither a JSON body nor a typed query parameter").isNotNull();
                request = contract.request(op, with(values, parameter, "not-a-value"), DevicesServer.ALICE);
            }
            contract.assertAnswer(op, request, 400);
        });
        assertThat(checked).isEqualTo(10);
    }

    @Test
    void anotherMediaTypeIsADocumented415() throws Exception {
        assertThat(contract.assertOtherMediaTypeRefused(op -> contract.request(op, values(op), DevicesServer.ALICE))).isEqualTo(7);
    }

    @Test
    void methodsTheFragmentDoesNotListAre405() throws Exception {
        assertThat(contract.assertUndocumentedMethodsRefused(Map.of("deviceId", "th-0001"), DevicesServer.ALICE)).isEqualTo(28);
    }

    private static String firstMediaType(Operation op) {
        return op.definition().getValue(JsonPointer.of("requestBody", "content")).orElseThrow().asObject().keyAt(0);
    }

    /** The name of a query parameter whose schema is an integer or a boolean, or {@code null}. */
    private static String typedQueryParameter(Operation op) {
        for (JsonValue p : op.definition().get("parameters").orElseThrow().asArray()) {
            JsonObject parameter = contract.resolve(p);
            JsonValue type = parameter.getValue(JsonPointer.of("schema", "type")).orElse(null);
            if (parameter.getOrNull("in").equals(JsonValue.of("query")) && (JsonValue.of("integer").equals(type) || JsonValue.of("boolean").equals(type))) {
                return ((JsonString) parameter.getOrNull("name")).value();
            }
        }
        return null;
    }

    private static Map<String, String> with(Map<String, String> values, String name, String value) {
        java.util.Map<String, String> out = new java.util.HashMap<>(values);
        out.put(name, value);
        return out;
    }
}
