package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import io.rosetta.search.internal.RqlThingFilters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rosetta:events following a real registry's event stream: selection, --count, Ctrl-C, and no subscriber left behind. */
class EventsCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TwinRegistryImpl registry;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        registry = TwinRegistryImpl.inMemory();
        for (String id : List.of("demo:plug-01", "demo:plug-02", "demo.lab:sensor-01", "factory:meter-1")) {
            registry.create(Thing.newBuilder(ThingId.of(id)).build());
        }
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private EventsCommand events() {
        EventsCommand c = new EventsCommand();
        c.registry = registry;
        c.out = out;
        return c;
    }

    private void on(String thing, boolean on) {
        registry.report(ThingId.of(thing), JsonPointer.of("/features/switch/properties"), JsonObject.of("on", JsonValue.of(on)),
                System.currentTimeMillis());
    }

    /** Runs the command on its own thread, as the console does, and waits until it has subscribed. */
    private CompletableFuture<Object> follow(EventsCommand c, int subscribersBefore, AtomicReference<Thread> thread) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(c.execute());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "rosetta-events-test");
        thread.set(t);
        t.start();
        await().atMost(WAIT).until(() -> registry.stats().subscribers() == subscribersBefore + 1 || result.isDone());
        return result;
    }

    @Test
    void countStopsAfterNSelectedEventsPrintedAsJsonLinesAndUnsubscribes() throws Exception {
        int before = registry.stats().subscribers();
        EventsCommand c = events();
        c.count = 2;
        c.json = true;
        c.types = "merged,connectivity";
        c.namespaces = "demo";
        CompletableFuture<Object> done = follow(c, before, new AtomicReference<>());

        on("factory:meter-1", true);                                   // other namespace
        on("demo.lab:sensor-01", true);                                // "demo" is not a prefix without *
        registry.updateLifecycle(ThingId.of("demo:plug-02"), LifecycleState.SUSPENDED); // other type
        on("demo:plug-01", true);
        registry.updateConnectivity(ThingId.of("demo:plug-02"), ConnectivityStatus.ONLINE);
        on("demo:plug-01", false);                                     // after the count: not shown

        assertThat(done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(2);
        JsonObject first = Json.parseObject(lines.get(0));
        assertThat(first.getOrNull("type")).isEqualTo(JsonValue.of("merged"));
        assertThat(first.getOrNull("thingId")).isEqualTo(JsonValue.of("demo:plug-01"));
        assertThat(first.getOrNull("path")).isEqualTo(JsonValue.of("/features/switch/properties"));
        assertThat(first.getOrNull("value")).isEqualTo(Json.parse("{\"on\":true}"));
        assertThat(first.getOrNull("revision")).isEqualTo(JsonValue.of(2));
        JsonObject second = Json.parseObject(lines.get(1));
        assertThat(second.getOrNull("type")).isEqualTo(JsonValue.of("connectivity"));
        assertThat(second.getOrNull("thingId")).isEqualTo(JsonValue.of("demo:plug-02"));
        await().atMost(WAIT).until(() -> registry.stats().subscribers() == before);
    }

    @Test
    void anRqlFilterSelectsTwinsByTheirStateAfterTheChange() throws Exception {
        int before = registry.stats().subscribers();
        EventsCommand c = events();
        c.filters = new RqlThingFilters();
        c.filter = "eq(features/switch/properties/on,true)";
        c.namespaces = "demo*";
        c.count = 1;
        CompletableFuture<Object> done = follow(c, before, new AtomicReference<>());

        on("demo:plug-02", false);
        on("factory:meter-1", true);
        on("demo.lab:sensor-01", true);

        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Following twin events in demo*, matching eq(features/switch/properties/on,true) until 1 were shown; "
                + "Ctrl-C stops.");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).matches("\\d{4}-.*Z merged +demo\\.lab:sensor-01 r2 /features/switch/properties \\{\"on\":true}");
        await().atMost(WAIT).until(() -> registry.stats().subscribers() == before);
    }

    @Test
    void ctrlCInterruptsTheCommandAndCancelsTheSubscription() throws Exception {
        int before = registry.stats().subscribers();
        EventsCommand c = events();
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Object> done = follow(c, before, thread);
        assertThat(registry.stats().subscribers()).isEqualTo(before + 1);

        on("demo:plug-01", true);
        await().atMost(WAIT).until(() -> output().contains("demo:plug-01 r2"));
        thread.get().interrupt();

        assertThat(done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
        assertThat(output()).contains("Stopped; 1 events shown.");
        await().atMost(WAIT).until(() -> registry.stats().subscribers() == before);
        // the registry goes on without the subscriber, and nothing more is printed
        String shown = output();
        on("demo:plug-01", false);
        assertThat(registry.stats().eventsDropped()).isZero();
        assertThat(output()).isEqualTo(shown);
    }

    @Test
    void aStoppingRegistryEndsTheCommand() throws Exception {
        EventsCommand c = events();
        CompletableFuture<Object> done = follow(c, registry.stats().subscribers(), new AtomicReference<>());
        registry.close();
        assertThat(done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
        assertThat(output()).contains("The twin registry closed the event stream");
    }

    @Test
    void moreEventsThanTheDemandArriveInOrder() throws Exception {
        int before = registry.stats().subscribers();
        EventsCommand c = events();
        int n = EventsCommand.DEMAND * 3;
        c.count = n;
        c.json = true;
        CompletableFuture<Object> done = follow(c, before, new AtomicReference<>());
        for (int i = 0; i < n; i++) {
            registry.report(ThingId.of("demo:plug-01"), JsonPointer.of("/attributes"), JsonObject.of("i", JsonValue.of(i)), i);
        }
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(Json.parseObject(lines.get(i)).getOrNull("value")).isEqualTo(JsonObject.of("i", JsonValue.of(i)));
        }
        await().atMost(WAIT).until(() -> registry.stats().subscribers() == before);
    }

    @Test
    void badOptionsFailWithOneLineAndSubscribeNothing() {
        int before = registry.stats().subscribers();
        EventsCommand c = events();
        c.filter = "eq(attributes/room,\"kitchen\")";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessage("--filter needs the RQL filters of the search (feature rosetta-search), which is not running: "
                        + "install it, or select with --namespaces and --types.");

        c.filters = new RqlThingFilters();
        c.filter = "eq(attributes/room,";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Invalid RQL filter")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        c.filter = null;
        c.types = "merged,exploded";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessage("Unknown event type 'exploded': use created, modified, merged, deleted, connectivity or lifecycle.");

        c.types = "LIFECYCLE_CHANGED";
        c.namespaces = "no space";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class)
                .hasMessage("'no space' in --namespaces is not a namespace of thing ids.");

        c.namespaces = null;
        c.count = -1;
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessage("--count must be 0 (until Ctrl-C) or more.");

        assertThat(registry.stats().subscribers()).isEqualTo(before);
        assertThat(output()).isEmpty();
    }

    @Test
    void aFilterServiceThatRefusesIsOneLine() {
        ThingFilters refusing = rql -> {
            throw new TwinException(400, "things:filter.invalid", "Invalid RQL filter: unexpected end at position 3", "d");
        };
        EventsCommand c = events();
        c.filters = refusing;
        c.filter = "eq(";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessage("Invalid RQL filter: unexpected end at position 3");
    }

    @Test
    void linesShowDeletionsAndShortenLongValues() throws Exception {
        int before = registry.stats().subscribers();
        EventsCommand c = events();
        c.count = 2;
        CompletableFuture<Object> done = follow(c, before, new AtomicReference<>());
        registry.create(Thing.newBuilder(ThingId.of("demo:big")).attributes(JsonObject.of("text", JsonValue.of("x".repeat(500)))).build());
        registry.delete(ThingId.of("demo:big"), JsonPointer.of(""), io.rosetta.core.registry.Precondition.none());
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<String> lines = output().lines().toList();
        assertThat(lines.get(1)).contains("created", "demo:big r1 / {").endsWith("...");
        assertThat(lines.get(1).length()).isLessThan(EventsCommand.MAX_VALUE_CHARS + 80);
        assertThat(lines.get(2)).contains("deleted", "demo:big");
    }

    @Test
    void typeNamesAreShortOrTheEnumsNames() throws CommandException {
        assertThat(EventsCommand.type("Connectivity")).isEqualTo(io.rosetta.core.registry.TwinEvent.Type.CONNECTIVITY_CHANGED);
        assertThat(EventsCommand.type("lifecycle_changed")).isEqualTo(io.rosetta.core.registry.TwinEvent.Type.LIFECYCLE_CHANGED);
        assertThatThrownBy(() -> EventsCommand.type("")).isInstanceOf(CommandException.class);
    }
}
