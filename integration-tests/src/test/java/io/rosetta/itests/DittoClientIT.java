package io.rosetta.itests;

import static io.rosetta.itests.Distribution.START_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
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

/**
 * The unmodified Eclipse Ditto Java client 2.4.0, as an application would use it, against the running distribution
 * (unpacked and started with {@code bin/karaf server}): it connects to {@code /ws/2} with the administrator's HTTP
 * Basic credentials, reads a twin of the shipped demo fleet, creates, modifies and deletes a thing of its own, and
 * hears the changes the demo devices make and its own.
 */
class DittoClientIT {

    private static final ThingId LAMP = ThingId.of("ditto:lamp-1");

    private Distribution rosetta;
    private DittoClient client;

    @BeforeEach
    void start() throws Exception {
        rosetta = Distribution.unpack("ditto-client", "ditto-client-it-password");
        rosetta.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.destroy();
        }
        rosetta.close();
    }

    @Test
    void theDittoClientDrivesTheDistribution() throws Exception {
        assertThatThrownBy(() -> connect("wrong-password")).as("wrong credentials").isInstanceOf(ExecutionException.class);
        client = connect(rosetta.password());

        List<ThingChange> changes = new CopyOnWriteArrayList<>();
        client.twin().registerForThingChanges("all", changes::add);
        get(client.twin().startConsumption(Options.Consumption.namespaces("demo", "ditto")));

        // a twin of the demo fleet, which the virtual devices keep reporting to
        ThingId device = ThingId.of("demo:device-01");
        Thing demo = await("the demo twin").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get(client.twin().forId(device).retrieve()), t -> t.getFeatures().map(f -> !f.isEmpty()).orElse(false));
        assertThat(demo.getEntityId()).contains(device);
        await("a change reported by a demo device").atMost(Duration.ofSeconds(60))
                .until(() -> changes.stream().anyMatch(c -> c.getEntityId().toString().startsWith("demo:")));

        Thing created = get(client.twin().create(JsonFactory.newObject(
                "{\"thingId\":\"ditto:lamp-1\",\"attributes\":{\"room\":\"hall\"},\"features\":{\"light\":{\"properties\":{\"on\":false}}}}")));
        assertThat(created.getEntityId()).contains(LAMP);
        get(client.twin().forId(LAMP).putAttribute("floor", 2));
        get(client.twin().forId(LAMP).forFeature("light").putProperty("on", true));
        get(client.twin().forId(LAMP).mergeAttribute("room", "kitchen"));

        Thing retrieved = get(client.twin().forId(LAMP).retrieve());
        assertThat(retrieved.getAttributes().orElseThrow().getValue("floor")).contains(JsonValue.of(2));
        assertThat(retrieved.getAttributes().orElseThrow().getValue("room")).contains(JsonValue.of("kitchen"));
        assertThat(retrieved.getFeatures().orElseThrow().getFeature("light").orElseThrow().getProperty("on")).contains(JsonValue.of(true));
        // the same twin over the HTTP API: four changes, one revision each
        HttpResponse<String> rest = rosetta.get("/api/2/things/ditto:lamp-1?fields=_revision,attributes/room");
        assertThat(rest.statusCode()).isEqualTo(200);
        assertThat(rest.body()).isEqualTo("{\"_revision\":4,\"attributes\":{\"room\":\"kitchen\"}}");

        await("the client's own changes").atMost(Duration.ofSeconds(10))
                .until(() -> changes.stream().filter(c -> LAMP.equals(c.getEntityId())).count() == 4);
        assertThat(changes.stream().filter(c -> LAMP.equals(c.getEntityId())).map(ThingChange::getAction))
                .containsExactlyInAnyOrder(ChangeAction.CREATED, ChangeAction.UPDATED, ChangeAction.UPDATED, ChangeAction.MERGED);

        get(client.twin().delete(LAMP));
        assertThatThrownBy(() -> get(client.twin().forId(LAMP).retrieve()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ThingNotAccessibleException.class);
        assertThat(rosetta.get("/api/2/things/ditto:lamp-1").statusCode()).isEqualTo(404);
    }

    private DittoClient connect(String password) throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + rosetta.httpPort())
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder().username("admin").password(password).build()));
        return DittoClients.newInstance(messaging).connect().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
