package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.registry.Precondition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.ThingChange;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unmodified Eclipse Ditto Java client 2.4.0 subscribing with an RQL filter ({@code Options.Consumption.filter}). */
class DittoClientFilterTest {

    @TempDir
    Path policyDir;
    private LiveStreamsServer server;
    private DittoClient client;

    @BeforeEach
    void connect() throws Exception {
        server = new LiveStreamsServer(policyDir);
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + server.port())
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder().username("alice").password("secret").build()));
        client = DittoClients.newInstance(messaging).connect().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.destroy();
        }
        server.close();
    }

    @Test
    void subscribesWithAFilterOnTheTwinAfterTheChange() throws Exception {
        List<ThingChange> changes = new CopyOnWriteArrayList<>();
        client.twin().registerForThingChanges("warm", changes::add);
        client.twin().startConsumption(Options.Consumption.namespaces("org.example"),
                        Options.Consumption.filter("and(eq(attributes/room,\"kitchen\"),gt(features/env/properties/temperature,20))"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        server.create("{\"thingId\":\"org.example:s1\",\"attributes\":{\"room\":\"kitchen\"},\"features\":{\"env\":{\"properties\":{\"temperature\":18}}}}");
        server.create("{\"thingId\":\"org.example:s2\",\"attributes\":{\"room\":\"hall\"},\"features\":{\"env\":{\"properties\":{\"temperature\":25}}}}");
        server.create("{\"thingId\":\"org.other:s3\",\"attributes\":{\"room\":\"kitchen\"},\"features\":{\"env\":{\"properties\":{\"temperature\":25}}}}");
        server.registry.modify(io.rosetta.core.model.ThingId.of("org.example:s1"), JsonPointer.of("/features/env/properties/temperature"),
                Json.parse("23"), Precondition.none());
        server.registry.modify(io.rosetta.core.model.ThingId.of("org.example:s2"), JsonPointer.of("/features/env/properties/temperature"),
                Json.parse("26"), Precondition.none());

        await().atMost(Duration.ofSeconds(10)).until(() -> !changes.isEmpty());
        // s1's change is the last one the filter passes; the client would have handed over anything before it by now
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> changes.size() == 1);
        ThingChange change = changes.get(0);
        assertThat(change.getEntityId().toString()).isEqualTo("org.example:s1");
        assertThat(change.getPath().toString()).isEqualTo("/features/env/properties/temperature");
        assertThat(change.getRevision()).isEqualTo(2);
    }
}
