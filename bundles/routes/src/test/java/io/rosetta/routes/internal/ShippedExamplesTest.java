package io.rosetta.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.routes.IntegratorRoutes.State;
import io.rosetta.search.internal.RqlThingFilters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example route files that ship in the distribution's {@code etc/routes/} (disabled), enabled as a user would: by
 * dropping them into the routes folder under a {@code .yaml} name. The forwarding example POSTs to a real HTTP server.
 */
class ShippedExamplesTest {

    static final Path EXAMPLES = Path.of("../../karaf-assembly/src/main/distribution/etc/routes");

    @TempDir
    Path etc;
    @TempDir
    Path data;

    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final RouteCounters counters = new RouteCounters();
    private final Vertx vertx = Vertx.vertx();
    private DefaultCamelContext camel;
    private RouteFiles files;

    record Received(String body, String thingId, String revision) {
    }

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.addComponent(RosettaComponent.NAME, new RosettaComponent(registry, new RqlThingFilters(), counters));
        camel.getPropertiesComponent().addInitialProperty("karaf.data", data.toString());
        camel.start();
        files = new RouteFiles(camel, etc.resolve("routes"));
    }

    @AfterEach
    void stop() {
        files.close();
        camel.stop();
        registry.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void theForwardingExamplePostsHotDemoTwinsToAnHttpEndpoint() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            received.add(new Received(body.toString(), request.getHeader("RosettaThingId"), request.getHeader("RosettaRevision")));
            request.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        camel.getPropertiesComponent().addInitialProperty("rosetta.example.forward.url",
                "http://127.0.0.1:" + receiver.actualPort() + "/rosetta/events");
        enable("example-forward.yaml.disabled");

        registry.create(sensor("demo:sensor-1", 20));
        registry.create(sensor("office:sensor-2", 30));
        report("office:sensor-2", 31); // another namespace
        report("demo:sensor-1", 21); // not above 25
        report("demo:sensor-1", 26.5);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        Received hot = received.get(0);
        assertThat(hot.thingId()).isEqualTo("demo:sensor-1");
        assertThat(hot.revision()).isEqualTo("3");
        JsonObject envelope = Json.parseObject(hot.body());
        assertThat(envelope.get("topic")).hasValue(JsonValue.of("demo/sensor-1/things/twin/events/merged"));
        assertThat(envelope.get("value")).hasValue(Json.parse("{\"value\":26.5}"));

        // the receiver goes away: a warning per event, the route carries on and forwards again when it is back
        receiver.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        report("demo:sensor-1", 27);
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.eventsDelivered.sum() == 2);
        assertThat(counters.eventsFailed.sum()).isZero();
        assertThat(received).hasSize(1);
    }

    @Test
    void thePatchExampleAppliesDroppedFilesToTwins() throws Exception {
        registry.create(Thing.fromJson(Json.parseObject("{\"features\":{\"lamp\":{\"properties\":{\"on\":false}}}}"), ThingId.of("demo:lamp")));
        enable("example-patch.yaml.disabled");
        Path inbox = data.resolve("rosetta-patches");

        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("demo:lamp.json.tmp"), "{\"features\":{\"lamp\":{\"desiredProperties\":{\"on\":true}}}}");
        Files.move(inbox.resolve("demo:lamp.json.tmp"), inbox.resolve("demo:lamp.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".done/demo:lamp.json")));
        Thing lamp = registry.retrieve(ThingId.of("demo:lamp")).orElseThrow();
        assertThat(lamp.toJson().getValue(JsonPointer.of("/features/lamp/desiredProperties/on"))).hasValue(JsonValue.of(true));
        assertThat(lamp.revision()).isEqualTo(2);

        Files.writeString(inbox.resolve("demo:nobody.json"), "{\"attributes\":{\"x\":1}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".failed/demo:nobody.json")));
        assertThat(registry.retrieve(ThingId.of("demo:nobody"))).isEmpty();
        assertThat(counters.patchesApplied.sum()).isEqualTo(1);
        assertThat(counters.patchesRefused.sum()).isEqualTo(1);
    }

    private void enable(String example) throws Exception {
        Path folder = Files.createDirectories(files.folder());
        Path file = Files.copy(EXAMPLES.resolve(example), folder.resolve(example.replace(".disabled", "")));
        assertThat(files.load(file)).as("loaded: %s", files.files()).isTrue();
        assertThat(files.files()).singleElement().extracting(f -> f.state()).isEqualTo(State.RUNNING);
    }

    private void report(String id, double temperature) {
        registry.report(ThingId.of(id), JsonPointer.of("/features/temperature/properties"), Json.parse("{\"value\":" + temperature + "}"),
                System.currentTimeMillis());
    }

    private static Thing sensor(String id, double temperature) {
        return Thing.fromJson(Json.parseObject("{\"features\":{\"temperature\":{\"properties\":{\"value\":" + temperature + "}}}}"), ThingId.of(id));
    }
}
