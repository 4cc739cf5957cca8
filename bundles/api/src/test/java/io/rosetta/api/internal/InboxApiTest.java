package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.ThingId;
import io.rosetta.security.AccessLevel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox over HTTP against the real inbox, device manager and registry: listing, approving (the twin
 * appears), rejecting, removing; authentication and authorization by namespace as in the things API.
 */
class InboxApiTest {

    private ApiServer server;
    private InboxFixture fixture;
    private String reader;
    private String writer;
    private String nobody;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer();
        fixture = new InboxFixture(server);
        fixture.discover("org.a:plug-1");
        fixture.discover("org.a:plug-2");
        fixture.discover("org.b:plug-3");
        reader = "Bearer " + server.policy.create("reader", null, null).secret();
        writer = "Bearer " + server.policy.create("writer", "wanda", null).secret();
        nobody = "Bearer " + server.policy.create("nobody", null, null).secret();
        server.policy.grant("token:reader", "org.a", AccessLevel.READ);
        server.policy.grant("wanda", "org.a", AccessLevel.WRITE);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        fixture.close();
    }

    private HttpResponse<String> as(String authorization, String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return as(ApiServer.basic(TestLoginModule.USER, TestLoginModule.PASSWORD), method, path);
    }

    private static JsonArray array(HttpResponse<String> r) {
        return Json.parse(r.body()).asArray();
    }

    @Test
    void listsTheEntriesWithTheirProposal() throws Exception {
        HttpResponse<String> r = admin("GET", "/api/2/inbox");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonArray entries = array(r);
        assertThat(entries).hasSize(3);
        JsonObject first = entries.get(0).asObject();
        assertThat(first.getOrNull("thingId")).isEqualTo(JsonValue.of("org.a:plug-1"));
        assertThat(first.getOrNull("status")).isEqualTo(JsonValue.of("PENDING"));
        assertThat(first.getOrNull("dialect")).isEqualTo(JsonValue.of("sparkplug"));
        assertThat(first.getOrNull("source")).isEqualTo(JsonValue.of("local"));
        assertThat(first.getOrNull("model")).isEqualTo(JsonValue.of(InboxFixture.MODEL));
        assertThat(first.getOrNull("attributes")).isEqualTo(JsonObject.of("vendor", JsonValue.of("Acme")));

        assertThat(array(admin("GET", "/api/2/inbox?status=rejected"))).isEmpty();
        HttpResponse<String> bad = admin("GET", "/api/2/inbox?status=maybe");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiServer.error(bad)).isEqualTo("inbox:status.invalid");
        assertThat(admin("GET", "/api/2/inbox/org.a:plug-2").statusCode()).isEqualTo(200);
    }

    @Test
    void approvingCreatesTheTwinAndRecordsWhoDidIt() throws Exception {
        HttpResponse<String> r = admin("POST", "/api/2/inbox/org.a:plug-1/approve");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject entry = ApiServer.object(r);
        assertThat(entry.getOrNull("status")).isEqualTo(JsonValue.of("APPROVED"));
        assertThat(entry.getOrNull("decidedBy")).isEqualTo(JsonValue.of(TestLoginModule.USER));
        assertThat(entry.getOrNull("decidedAt")).isNotNull();
        var twin = server.thing("org.a:plug-1");
        assertThat(twin.definition()).contains(InboxFixture.MODEL);
        assertThat(twin.attributes()).contains(JsonObject.of("vendor", JsonValue.of("Acme")));
        // the binding (mqtt) is not installed here: the device waits for it
        assertThat(twin.connectivity().detail()).isEqualTo(ConnectivityStatus.Detail.BINDING_MISSING);
        assertThat(array(admin("GET", "/api/2/inbox?status=APPROVED"))).hasSize(1);
    }

    @Test
    void rejectingAndRemovingAnEntry() throws Exception {
        HttpResponse<String> r = as(writer, "POST", "/api/2/inbox/org.a:plug-2/reject");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ApiServer.object(r).getOrNull("status")).isEqualTo(JsonValue.of("REJECTED"));
        assertThat(ApiServer.object(r).getOrNull("decidedBy")).isEqualTo(JsonValue.of("token:writer"));
        assertThat(fixture.inbox.entry(ThingId.of("org.a:plug-2")).orElseThrow().status()).isEqualTo(InboxEntry.Status.REJECTED);
        assertThat(server.registry.retrieve(ThingId.of("org.a:plug-2"))).isEmpty();

        assertThat(as(writer, "DELETE", "/api/2/inbox/org.a:plug-2").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = as(writer, "DELETE", "/api/2/inbox/org.a:plug-2");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(ApiServer.error(gone)).isEqualTo("inbox:entry.notfound");
        assertThat(admin("POST", "/api/2/inbox/org.a:plug-2/approve").statusCode()).isEqualTo(404);
    }

    @Test
    void authorizationFollowsTheNamespaceOfTheProposedThing() throws Exception {
        assertThat(as(null, "GET", "/api/2/inbox").statusCode()).isEqualTo(401);
        assertThat(as(null, "POST", "/api/2/inbox/org.a:plug-1/approve").statusCode()).isEqualTo(401);

        // READ on org.a: sees org.a's entries, may not decide about them; org.b's do not exist for it
        assertThat(array(as(reader, "GET", "/api/2/inbox"))).extracting(v -> v.asObject().getOrNull("thingId"))
                .containsExactly(JsonValue.of("org.a:plug-1"), JsonValue.of("org.a:plug-2"));
        HttpResponse<String> forbidden = as(reader, "POST", "/api/2/inbox/org.a:plug-1/approve");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(ApiServer.error(forbidden)).isEqualTo("things:thing.notmodifiable");
        assertThat(as(reader, "DELETE", "/api/2/inbox/org.a:plug-1").statusCode()).isEqualTo(403);
        assertThat(as(reader, "GET", "/api/2/inbox/org.b:plug-3").statusCode()).isEqualTo(404);
        assertThat(as(writer, "POST", "/api/2/inbox/org.b:plug-3/approve").statusCode()).isEqualTo(404);
        assertThat(server.registry.retrieve(ThingId.of("org.a:plug-1"))).isEmpty();
        assertThat(server.registry.retrieve(ThingId.of("org.b:plug-3"))).isEmpty();

        // no grant at all: the inbox is forbidden
        HttpResponse<String> none = as(nobody, "GET", "/api/2/inbox");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(ApiServer.error(none)).isEqualTo("gateway:access.forbidden");

        // WRITE on org.a: approves
        assertThat(as(writer, "POST", "/api/2/inbox/org.a:plug-1/approve").statusCode()).isEqualTo(200);
        assertThat(server.registry.retrieve(ThingId.of("org.a:plug-1"))).isPresent();
    }

    @Test
    void wrongMethodsAndPathsAreRefusedLikeTheRestOfTheApi() throws Exception {
        HttpResponse<String> r = admin("GET", "/api/2/inbox/org.a:plug-1/approve");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(admin("POST", "/api/2/inbox").statusCode()).isEqualTo(405);
        assertThat(admin("PUT", "/api/2/inbox/org.a:plug-1").headers().firstValue("Allow")).hasValue("GET, DELETE");
        assertThat(admin("POST", "/api/2/inbox/org.a:plug-1/maybe").statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/api/2/inboxes").statusCode()).isEqualTo(404);
        HttpResponse<String> badId = admin("GET", "/api/2/inbox/no-namespace");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(server.metrics.refusals(405, "gateway:method.notallowed")).isEqualTo(3);
        assertThat(server.metrics.serverErrors()).isZero();
    }
}
