package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.registry.Precondition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.ChangeAction;
import org.eclipse.ditto.client.changes.ThingChange;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The unmodified Eclipse Ditto Java client 2.4.0 against the Ditto-protocol WebSocket of a real server. */
class DittoClientTest {

    private static final ThingId LAMP = ThingId.of("org.example:lamp-1");
    private LiveServer server;
    private DittoClient client;

    @BeforeEach
    void connect() throws Exception {
        server = new LiveServer();
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + server.port())
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(LiveServer.USER).password(LiveServer.PASSWORD).build()));
        client = DittoClients.newInstance(messaging).connect().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.destroy();
        }
        server.close();
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void createsRetrievesModifiesAndDeletes() throws Exception {
        Thing created = get(client.twin().create(JsonFactory.newObject("{\"thingId\":\"org.example:lamp-1\","
                + "\"attributes\":{\"room\":\"hall\"},\"features\":{\"light\":{\"properties\":{\"on\":false}}}}")));
        assertThat(created.getEntityId()).contains(LAMP);
        assertThat(created.getAttributes().orElseThrow().getValue("room")).contains(JsonValue.of("hall"));
        assertThat(server.registry.retrieve(io.rosetta.core.model.ThingId.of("org.example:lamp-1"))).isPresent();

        get(client.twin().forId(LAMP).putAttribute("floor", 2));
        get(client.twin().forId(LAMP).forFeature("light").putProperty("on", true));
        get(client.twin().forId(LAMP).mergeAttribute("room", "kitchen"));

        Thing retrieved = get(client.twin().forId(LAMP).retrieve());
        assertThat(retrieved.getAttributes().orElseThrow().getValue("floor")).contains(JsonValue.of(2));
        assertThat(retrieved.getAttributes().orElseThrow().getValue("room")).contains(JsonValue.of("kitchen"));
        assertThat(retrieved.getFeatures().orElseThrow().getFeature("light").orElseThrow().getProperty("on")).contains(JsonValue.of(true));
        assertThat(server.registry.retrieve(io.rosetta.core.model.ThingId.of("org.example:lamp-1")).orElseThrow().revision()).isEqualTo(4);

        get(client.twin().create(ThingId.of("org.example:lamp-2")));
        List<Thing> both = get(client.twin().retrieve(LAMP, ThingId.of("org.example:lamp-2"), ThingId.of("org.example:absent")));
        assertThat(both).extracting(t -> t.getEntityId().orElseThrow().toString()).containsExactly("org.example:lamp-1", "org.example:lamp-2");

        get(client.twin().delete(ThingId.of("org.example:lamp-2")));
        assertThatThrownBy(() -> get(client.twin().forId(ThingId.of("org.example:lamp-2")).retrieve()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ThingNotAccessibleException.class);
    }

    private static ThingChange change(List<ThingChange> changes, ChangeAction action) {
        return changes.stream().filter(c -> c.getAction() == action).findFirst().orElseThrow();
    }

    @Test
    void subscribesToChanges() throws Exception {
        List<ThingChange> changes = new CopyOnWriteArrayList<>();
        client.twin().registerForThingChanges("all", changes::add);
        get(client.twin().startConsumption(Options.Consumption.namespaces("org.example")));

        // changes from elsewhere (here: straight in the registry, as a device binding makes them)
        server.create("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}");
        server.create("{\"thingId\":\"org.other:lamp-9\"}");
        server.registry.modify(io.rosetta.core.model.ThingId.of("org.example:lamp-1"), JsonPointer.of("/attributes/level"),
                Json.parse("5"), Precondition.none());
        // and from this client
        get(client.twin().forId(LAMP).deleteAttribute("room"));

        await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 3);
        // the client hands changes to its handlers on a thread pool: they may arrive in any order
        assertThat(changes).extracting(ThingChange::getAction)
                .containsExactlyInAnyOrder(ChangeAction.CREATED, ChangeAction.UPDATED, ChangeAction.DELETED);
        assertThat(changes).allSatisfy(c -> assertThat((Object) c.getEntityId()).isEqualTo(LAMP));
        ThingChange created = change(changes, ChangeAction.CREATED);
        assertThat(created.getRevision()).isEqualTo(1);
        assertThat(created.getThing().orElseThrow().getAttributes().orElseThrow().getValue("room")).contains(JsonValue.of("hall"));
        ThingChange level = change(changes, ChangeAction.UPDATED);
        assertThat(level.getPath().toString()).isEqualTo("/attributes/level");
        // a thing-level registration sees each change as a partial thing
        assertThat(level.getValue()).contains(JsonFactory.newObject("{\"attributes\":{\"level\":5}}"));
        assertThat(level.getRevision()).isEqualTo(2);
        ThingChange deleted = change(changes, ChangeAction.DELETED);
        assertThat(deleted.getPath().toString()).isEqualTo("/attributes/room");
        assertThat(deleted.getRevision()).isEqualTo(3);

        get(client.twin().suspendConsumption());
        assertThat(server.log.listeners()).isZero();
    }
}
