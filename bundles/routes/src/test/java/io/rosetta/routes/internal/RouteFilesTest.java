package io.rosetta.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.routes.IntegratorRoutes.RouteFile;
import io.rosetta.routes.IntegratorRoutes.State;
import io.rosetta.search.internal.RqlThingFilters;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Route;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route files in a folder against a real Camel context and a real (in-memory) twin registry, with the search's RQL
 * filters: loaded, delivering events, reloaded on change, removed on delete; broken files counted without disturbing
 * the others.
 */
class RouteFilesTest {

    @TempDir
    Path folder;

    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final RouteCounters counters = new RouteCounters();
    private DefaultCamelContext camel;
    private RosettaComponent component;
    private RouteFiles files;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        component = new RosettaComponent(registry, new RqlThingFilters(), counters);
        camel.addComponent(RosettaComponent.NAME, component);
        camel.start();
        files = new RouteFiles(camel, folder);
    }

    @AfterEach
    void stop() {
        files.close();
        camel.stop();
        registry.close();
    }

    @Test
    void aDroppedFileIsLoadedAndItsRouteGetsTheFilteredEvents() throws Exception {
        Path file = write("kitchen.yaml", kitchenRoute("kitchen", "mock:kitchen"));
        files.loadAll();

        assertThat(files.files()).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.RUNNING);
            assertThat(f.routeIds()).containsExactly("kitchen");
            assertThat(f.file()).isEqualTo(file);
        });
        MockEndpoint kitchen = camel.getEndpoint("mock:kitchen", MockEndpoint.class);
        kitchen.expectedMessageCount(2);

        registry.create(thing("home:bedroom-sensor", "bedroom"));
        registry.create(thing("office:kitchen-sensor", "kitchen"));
        registry.create(thing("home:kitchen-sensor", "kitchen"));
        registry.merge(ThingId.of("home:kitchen-sensor"), io.rosetta.core.json.JsonPointer.of("/features/temperature/properties"),
                Json.parse("{\"value\":23.5}"), io.rosetta.core.registry.Precondition.none());

        kitchen.assertIsSatisfied(10_000);
        var created = kitchen.getReceivedExchanges().get(0).getIn();
        assertThat(created.getHeader(RosettaHeaders.THING_ID)).isEqualTo("home:kitchen-sensor");
        assertThat(created.getHeader(RosettaHeaders.EVENT_TYPE)).isEqualTo("created");
        assertThat(created.getHeader(RosettaHeaders.REVISION)).isEqualTo(1L);
        var merged = kitchen.getReceivedExchanges().get(1).getIn();
        JsonObject envelope = Json.parseObject(merged.getBody(String.class));
        assertThat(envelope.get("topic")).hasValue(JsonValue.of("home/kitchen-sensor/things/twin/events/merged"));
        assertThat(envelope.get("headers")).hasValue(Json.parse("{\"content-type\":\"application/merge-patch+json\"}"));
        assertThat(envelope.get("path")).hasValue(JsonValue.of("/features/temperature/properties"));
        assertThat(envelope.get("value")).hasValue(Json.parse("{\"value\":23.5}"));
        assertThat(envelope.get("revision")).hasValue(JsonValue.of(2));
        assertThat(merged.getHeader(RosettaHeaders.PATH)).isEqualTo("/features/temperature/properties");
        assertThat(merged.getHeader(RosettaHeaders.REVISION)).isEqualTo(2L);
        assertThat(envelope.get("timestamp")).hasValue(JsonValue.of(merged.getHeader(RosettaHeaders.TIMESTAMP, String.class)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(counters.eventsDelivered.sum()).isEqualTo(2));
        assertThat(files.loaded()).isEqualTo(1);
    }

    @Test
    void aChangedFileIsReloadedAndADeletedOneRemoved() throws Exception {
        Path file = write("kitchen.yaml", kitchenRoute("kitchen", "mock:first"));
        files.load(file);
        // File Install reports the same content again: nothing restarts
        Route route = camel.getRoute("kitchen");
        assertThat(files.load(file)).isTrue();
        assertThat(camel.getRoute("kitchen")).isSameAs(route);

        write("kitchen.yaml", kitchenRoute("kitchen-v2", "mock:second"));
        files.load(file);
        assertThat(camel.getRoute("kitchen")).isNull();
        assertThat(routeIds()).containsExactly("kitchen-v2");
        MockEndpoint first = camel.getEndpoint("mock:first", MockEndpoint.class);
        MockEndpoint second = camel.getEndpoint("mock:second", MockEndpoint.class);
        second.expectedMessageCount(1);
        registry.create(thing("home:k1", "kitchen"));
        second.assertIsSatisfied(10_000);
        assertThat(first.getReceivedCounter()).isZero();
        assertThat(files.loaded()).isEqualTo(2);

        Files.delete(file);
        assertThat(files.remove(file)).isTrue();
        assertThat(camel.getRoutes()).isEmpty();
        assertThat(camel.getRouteDefinitions()).isEmpty();
        assertThat(files.files()).isEmpty();
        assertThat(files.removed()).isEqualTo(1);
        assertThat(files.remove(file)).isFalse();
    }

    @Test
    void aBrokenFileIsCountedAndDisturbsNoOtherFile() throws Exception {
        write("good.yaml", kitchenRoute("good", "mock:good"));
        write("broken.yaml", "- route:\n    from:\n      uri: rosetta:events\n   steps: [oops\n");
        write("unknown.yaml", route("unknown", "no-such-component:x", "mock:never"));
        write("half.yaml", "- route:\n    id: half-ok\n    from:\n      uri: direct:half\n      steps:\n        - to: mock:half\n"
                + "- route:\n    id: half-bad\n    from:\n      uri: rosetta:nothing\n      steps:\n        - to: mock:half\n");
        files.loadAll();

        assertThat(routeIds()).containsExactly("good");
        assertThat(files.failed()).isEqualTo(3);
        assertThat(state("good.yaml").state()).isEqualTo(State.RUNNING);
        assertThat(state("broken.yaml").state()).isEqualTo(State.FAILED);
        assertThat(state("broken.yaml").error()).contains("broken.yaml").contains("line");
        assertThat(state("unknown.yaml").error()).contains("no-such-component");
        assertThat(state("half.yaml").error()).contains("the rosetta component has rosetta:events (twin events) and rosetta:patch");
        assertThat(state("half.yaml").routeIds()).isEmpty();

        MockEndpoint good = camel.getEndpoint("mock:good", MockEndpoint.class);
        good.expectedMessageCount(1);
        registry.create(thing("home:k", "kitchen"));
        good.assertIsSatisfied(10_000);
    }

    @Test
    void aBrokenChangeKeepsThePreviousVersionRunning() throws Exception {
        Path file = write("kitchen.yaml", kitchenRoute("kitchen", "mock:kitchen"));
        files.load(file);
        write("kitchen.yaml", kitchenRoute("kitchen", "mock:kitchen").replace("eq(attributes/room", "eq(attributes/room,,"));
        assertThat(files.load(file)).isTrue();

        RouteFile f = state("kitchen.yaml");
        assertThat(f.state()).isEqualTo(State.PREVIOUS_VERSION_RUNNING);
        assertThat(f.error()).contains("invalid filter");
        assertThat(f.routeIds()).containsExactly("kitchen");
        assertThat(files.failed()).isEqualTo(1);
        MockEndpoint kitchen = camel.getEndpoint("mock:kitchen", MockEndpoint.class);
        kitchen.expectedMessageCount(1);
        registry.create(thing("home:k", "kitchen"));
        kitchen.assertIsSatisfied(10_000);

        // fixed: the new version runs
        write("kitchen.yaml", kitchenRoute("kitchen", "mock:fixed"));
        files.load(file);
        assertThat(state("kitchen.yaml").state()).isEqualTo(State.RUNNING);
        assertThat(state("kitchen.yaml").error()).isNull();
        assertThat(camel.getRoute("kitchen").getEndpoint().getEndpointUri()).startsWith("rosetta://events");
    }

    @Test
    void aFilterWithoutTheFilterServiceIsRefusedUntilItComes() throws Exception {
        component.setFilters(null);
        write("kitchen.yaml", kitchenRoute("kitchen", "mock:kitchen"));
        write("all.yaml", route("all", "rosetta:events?namespaces=home", "mock:all"));
        files.loadAll();
        assertThat(state("kitchen.yaml").state()).isEqualTo(State.FAILED);
        assertThat(state("kitchen.yaml").error()).contains("needs the RQL filter service of the search (feature rosetta-search), which is not running");
        assertThat(state("all.yaml").state()).isEqualTo(State.RUNNING);

        component.setFilters(new RqlThingFilters());
        files.retryFailed();
        assertThat(state("kitchen.yaml").state()).isEqualTo(State.RUNNING);
        assertThat(routeIds()).containsExactlyInAnyOrder("all", "kitchen");
    }

    @Test
    void routeIdsOfOneFileCannotTakeAnotherFilesRoutes() throws Exception {
        write("a.yaml", route("shared", "direct:a", "mock:a"));
        write("b.yaml", route("shared", "direct:b", "mock:b"));
        files.loadAll();
        assertThat(state("a.yaml").state()).isEqualTo(State.RUNNING);
        assertThat(state("b.yaml").state()).isEqualTo(State.FAILED);
        assertThat(state("b.yaml").error()).contains("the route id 'shared' is taken by the route file a.yaml");
        assertThat(camel.getRoute("shared").getEndpoint().getEndpointUri()).isEqualTo("direct://a");
        files.remove(folder.resolve("b.yaml"));
        assertThat(camel.getRoute("shared")).isNotNull();
    }

    @Test
    void fileInstallIsAskedOnlyAboutYamlFilesOfTheFolder() throws Exception {
        assertThat(RouteFiles.isRouteFile(folder.resolve("x.yaml"))).isTrue();
        assertThat(RouteFiles.isRouteFile(folder.resolve("x.yaml.disabled"))).isFalse();
        assertThat(RouteFiles.isRouteFile(folder.resolve(".x.yaml"))).isFalse();
        assertThat(RouteFiles.isRouteFile(folder.resolve("x.json"))).isFalse();
        assertThat(new File("deploy/x.yaml").getAbsoluteFile().toPath().getParent()).isNotEqualTo(files.folder());
    }

    // ---- helpers

    private Path write(String name, String content) throws Exception {
        return Files.writeString(folder.resolve(name), content);
    }

    private RouteFile state(String name) {
        return files.files().stream().filter(f -> f.file().getFileName().toString().equals(name)).findFirst().orElseThrow();
    }

    private List<String> routeIds() {
        return camel.getRoutes().stream().map(Route::getRouteId).sorted().toList();
    }

    static String kitchenRoute(String id, String to) {
        return """
                - route:
                    id: %s
                    from:
                      uri: rosetta:events
                      parameters:
                        filter: 'eq(attributes/room,"kitchen")'
                        namespaces: home
                      steps:
                        - to: %s
                """.formatted(id, to);
    }

    static String route(String id, String from, String to) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "%s"
                      steps:
                        - to: %s
                """.formatted(id, from, to);
    }

    static Thing thing(String id, String room) {
        return Thing.fromJson(Json.parseObject("""
                {"thingId":"%s","attributes":{"room":"%s"},"features":{"temperature":{"properties":{"value":20}}}}
                """.formatted(id, room)), ThingId.of(id));
    }
}
