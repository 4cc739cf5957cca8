package io.rosetta.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import io.rosetta.search.internal.RqlThingFilters;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rosetta component's endpoints against a real (in-memory) registry, in Java DSL routes. */
class RosettaComponentTest {

    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final RouteCounters counters = new RouteCounters();
    private DefaultCamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent(RosettaComponent.NAME, new RosettaComponent(registry, new RqlThingFilters(), counters));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:fixed").to("rosetta:patch?thingId=home:lamp&path=/features/lamp/properties");
                from("direct:byHeader").to("rosetta:patch");
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
        registry.create(Thing.fromJson(Json.parseObject("{\"features\":{\"lamp\":{\"properties\":{\"on\":false,\"level\":10}}}}"),
                ThingId.of("home:lamp")));
    }

    @AfterEach
    void stop() {
        camel.stop();
        registry.close();
    }

    @Test
    void thePatchProducerMergesTheBodyIntoTheTwin() {
        String result = producer.requestBody("direct:fixed", "{\"on\":true}", String.class);
        Thing lamp = registry.retrieve(ThingId.of("home:lamp")).orElseThrow();
        assertThat(lamp.revision()).isEqualTo(2);
        assertThat(lamp.toJson().getValue(JsonPointer.of("/features/lamp/properties"))).hasValue(Json.parse("{\"on\":true,\"level\":10}"));
        assertThat(Json.parseObject(result).get("thingId")).hasValue(JsonValue.of("home:lamp"));

        // thing and path from the headers; null removes (RFC 7396)
        var exchange = producer.request("direct:byHeader", e -> {
            e.getIn().setHeader(RosettaHeaders.THING_ID, "home:lamp");
            e.getIn().setHeader(RosettaHeaders.PATH, "/features/lamp/properties");
            e.getIn().setBody("{\"level\":null}".getBytes());
        });
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(RosettaHeaders.REVISION)).isEqualTo(3L);
        assertThat(registry.retrieve(ThingId.of("home:lamp")).orElseThrow().toJson().getValue(JsonPointer.of("/features/lamp/properties")))
                .hasValue(Json.parse("{\"on\":true}"));
        assertThat(counters.patchesApplied.sum()).isEqualTo(2);
    }

    @Test
    void aRefusedPatchFailsTheExchangeIsCountedAndChangesNothing() {
        assertRefused("direct:fixed", "{\"on\": tru", Map.of(), "Invalid JSON");
        assertRefused("direct:byHeader", "{\"on\":true}", Map.of(), "does not know which twin to change");
        assertRefused("direct:byHeader", "{\"on\":true}", Map.of(RosettaHeaders.THING_ID, "home:nobody"), "home:nobody");
        assertRefused("direct:byHeader", "{\"on\":true}", Map.of(RosettaHeaders.THING_ID, "no id"), "no id");
        assertRefused("direct:byHeader", "{\"on\":true}", Map.of(RosettaHeaders.THING_ID, "home:lamp", RosettaHeaders.PATH, "/features//x"), "empty segment");
        assertRefused("direct:fixed", "", Map.of(), "got no body");
        assertThat(counters.patchesRefused.sum()).isEqualTo(6);
        assertThat(counters.patchesApplied.sum()).isZero();
        assertThat(registry.retrieve(ThingId.of("home:lamp")).orElseThrow().revision()).isEqualTo(1);
    }

    private void assertRefused(String uri, String body, Map<String, Object> headers, String message) {
        assertThatThrownBy(() -> producer.requestBodyAndHeaders(uri, body, headers))
                .isInstanceOf(CamelExecutionException.class).cause().hasMessageContaining(message);
    }

    @Test
    void badEndpointOptionsAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> camel.getEndpoint("rosetta:patch?thingId=not-an-id")).hasStackTraceContaining("invalid thingId 'not-an-id'");
        assertThatThrownBy(() -> camel.getEndpoint("rosetta:events?types=modified,exploded"))
                .hasStackTraceContaining("unknown type 'exploded' in types=");
        assertThatThrownBy(() -> camel.getEndpoint("rosetta:events?filter=eq(attributes")).hasStackTraceContaining("invalid filter");
        assertThatThrownBy(() -> camel.getEndpoint("rosetta:events?colour=red")).hasStackTraceContaining("colour");
        assertThatThrownBy(() -> camel.getEndpoint("rosetta:events").createProducer()).hasMessageContaining("use rosetta:patch");
        assertThatThrownBy(() -> camel.getEndpoint("rosetta:things")).hasStackTraceContaining("rosetta:events (twin events) and rosetta:patch");
    }

    @Test
    void typesExtraFieldsAndDeletions() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rosetta:events?types=connectivity,deleted&extraFields=attributes").to("mock:status");
                from("rosetta:events?types=deleted&filter=exists(features)").to("mock:filteredDeletes");
            }
        });
        MockEndpoint status = camel.getEndpoint("mock:status", MockEndpoint.class);
        status.expectedMessageCount(3);
        ThingId lamp = ThingId.of("home:lamp");
        registry.merge(lamp, JsonPointer.of("/attributes"), Json.parse("{\"room\":\"hall\"}"), Precondition.none()); // merged: not selected
        registry.updateConnectivity(lamp, ConnectivityStatus.ONLINE);
        registry.delete(lamp, JsonPointer.of("/attributes/room"), Precondition.none());
        registry.delete(lamp, JsonPointer.empty(), Precondition.none());
        status.assertIsSatisfied(10_000);

        var connectivity = status.getReceivedExchanges().get(0).getIn();
        assertThat(connectivity.getHeader(RosettaHeaders.EVENT_TYPE)).isEqualTo("connectivity");
        JsonObject envelope = Json.parseObject(connectivity.getBody(String.class));
        assertThat(envelope.get("topic")).hasValue(JsonValue.of("home/lamp/things/twin/events/modified"));
        assertThat(envelope.get("path")).hasValue(JsonValue.of("/_connectivity"));
        assertThat(envelope.get("extra")).hasValue(Json.parse("{\"attributes\":{\"room\":\"hall\"}}"));
        JsonObject deletedThing = Json.parseObject(status.getReceivedExchanges().get(2).getIn().getBody(String.class));
        assertThat(deletedThing.get("topic")).hasValue(JsonValue.of("home/lamp/things/twin/events/deleted"));
        assertThat(deletedThing.get("path")).hasValue(JsonValue.of("/"));
        assertThat(deletedThing.get("value")).isEmpty();

        // with a filter, only the deletion of a part is delivered: a deleted thing has no state to match
        MockEndpoint filtered = camel.getEndpoint("mock:filteredDeletes", MockEndpoint.class);
        filtered.expectedMessageCount(1);
        filtered.assertIsSatisfied(10_000);
        assertThat(filtered.getReceivedExchanges().get(0).getIn().getHeader(RosettaHeaders.PATH)).isEqualTo("/attributes/room");
    }

    @Test
    void aFailingRouteIsCountedAndTheNextEventsStillArrive() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rosetta:events?types=merged").routeId("flaky")
                        .process(e -> {
                            if (e.getIn().getHeader(RosettaHeaders.REVISION, Long.class) == 2L) {
                                throw new IllegalStateException("the receiver is down");
                            }
                        })
                        .to("mock:after");
            }
        });
        MockEndpoint after = camel.getEndpoint("mock:after", MockEndpoint.class);
        after.expectedHeaderValuesReceivedInAnyOrder(RosettaHeaders.REVISION, 3L, 4L);
        ThingId lamp = ThingId.of("home:lamp");
        for (int i = 0; i < 3; i++) {
            registry.merge(lamp, JsonPointer.of("/features/lamp/properties"), Json.parse("{\"level\":" + i + "}"), Precondition.none());
        }
        after.assertIsSatisfied(10_000);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counters.eventsFailed.sum()).isEqualTo(1);
            assertThat(counters.eventsDelivered.sum()).isEqualTo(2);
        });
    }

    @Test
    void aStoppedRouteUnsubscribesAndARestartedOneSubscribesAgain() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("rosetta:events").routeId("events").to("mock:events");
            }
        });
        int subscribers = registry.stats().subscribers();
        camel.getRouteController().stopRoute("events");
        // the registry's publisher lets go of a cancelled subscription on its own schedule
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.stats().subscribers()).isEqualTo(subscribers - 1));
        camel.getRouteController().startRoute("events");
        MockEndpoint events = camel.getEndpoint("mock:events", MockEndpoint.class);
        events.expectedMessageCount(1);
        registry.merge(ThingId.of("home:lamp"), JsonPointer.of("/attributes"), Json.parse("{\"x\":1}"), Precondition.none());
        events.assertIsSatisfied(10_000);
        assertThat(registry.stats().subscribers()).isEqualTo(subscribers);
    }
}
