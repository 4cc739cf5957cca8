package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.binding.BindingStats;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShellCommandsTest {

    private TwinRegistryImpl registry;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        registry = TwinRegistryImpl.inMemory();
        thing("demo:plug-01", "rosetta:smart-plug:1.0.0", ConnectivityStatus.ONLINE);
        thing("demo:plug-02", "rosetta:smart-plug:1.0.0",
                ConnectivityStatus.offline(ConnectivityStatus.Detail.BINDING_MISSING, "The binding 'virtual' is not installed"));
        thing("demo.lab:sensor-01", "rosetta:temperature-humidity-sensor:1.0.0", ConnectivityStatus.ONLINE);
        thing("factory:meter-1", null, ConnectivityStatus.UNKNOWN);
        registry.report(ThingId.of("demo:plug-01"), JsonPointer.of("/features/switch/properties"),
                JsonObject.of("on", JsonValue.of(true)), 1_764_000_000_000L);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private void thing(String id, String definition, ConnectivityStatus status) {
        registry.create(Thing.newBuilder(ThingId.of(id)).definition(definition).build());
        registry.updateConnectivity(ThingId.of(id), status);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private ThingsCommand things() {
        ThingsCommand c = new ThingsCommand();
        c.registry = registry;
        c.out = out;
        return c;
    }

    @Test
    void thingsPrintsATableSortedById() throws Exception {
        things().execute();

        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).contains("Thing ID", "Definition", "Status", "Lifecycle", "Revision", "Last seen");
        assertThat(lines).hasSize(2 + 4);
        assertThat(lines.get(2)).startsWith("demo.lab:sensor-01");
        assertThat(lines.get(3)).startsWith("demo:plug-01").contains("rosetta:smart-plug:1.0.0", "ONLINE", "ACTIVE",
                "2025-11-24T16:00:00Z");
        assertThat(lines.get(4)).contains("OFFLINE/BINDING_MISSING", "never");
        assertThat(lines.get(5)).startsWith("factory:meter-1").contains("UNKNOWN");
    }

    @Test
    void thingsFiltersByNamespaceAndStatus() throws Exception {
        ThingsCommand c = things();
        c.namespace = "demo";
        c.status = "online";
        c.execute();

        assertThat(output()).contains("demo:plug-01").doesNotContain("demo:plug-02", "demo.lab:sensor-01", "factory:meter-1");
    }

    @Test
    void thingsFiltersByStatusDetailAndNamespacePrefix() throws Exception {
        ThingsCommand c = things();
        c.namespace = "demo*";
        c.status = "OFFLINE/BINDING_MISSING";
        c.json = true;
        c.execute();

        JsonArray rows = (JsonArray) Json.parse(output());
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.get(0)).isEqualTo(Json.parse("{\"thingId\":\"demo:plug-02\",\"definition\":\"rosetta:smart-plug:1.0.0\","
                + "\"status\":\"OFFLINE\",\"detail\":\"BINDING_MISSING\",\"lifecycle\":\"ACTIVE\",\"revision\":2}"));
    }

    @Test
    void thingsJsonListsAllFieldsForScripts() throws Exception {
        ThingsCommand c = things();
        c.json = true;
        c.execute();

        JsonArray rows = (JsonArray) Json.parse(output());
        assertThat(rows.size()).isEqualTo(4);
        JsonObject plug = rows.get(1).asObject();
        assertThat(plug.getOrNull("thingId")).isEqualTo(JsonValue.of("demo:plug-01"));
        assertThat(plug.getOrNull("lastSeen")).isEqualTo(JsonValue.of("2025-11-24T16:00:00Z"));
        assertThat(plug.getOrNull("revision")).isEqualTo(JsonValue.of(3));
        assertThat(rows.get(3).asObject().contains("definition")).isFalse();
    }

    @Test
    void thingsLimitsAndSaysHowManyMore() throws Exception {
        ThingsCommand c = things();
        c.limit = 2;
        c.execute();

        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(2 + 2 + 1);
        assertThat(lines.get(4)).isEqualTo("2 more; use --limit 0 to see all 4.");
    }

    @Test
    void thingsRefusesAnUnknownStatus() {
        ThingsCommand c = things();
        c.status = "SLEEPING";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Unknown status 'SLEEPING'");
        c.status = "OFFLINE/TIRED";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageStartingWith("Unknown status detail");
    }

    @Test
    void thingsSaysWhenNothingMatches() throws Exception {
        ThingsCommand c = things();
        c.namespace = "nowhere";
        c.execute();
        assertThat(output()).contains("No things match.");
    }

    @Test
    void thingPrintsPrettyJsonWithSpecialFields() throws Exception {
        ThingCommand c = new ThingCommand();
        c.registry = registry;
        c.out = out;
        c.thingId = "demo:plug-01";

        c.execute();

        assertThat(output()).contains("\n  \"thingId\" : \"demo:plug-01\"");
        JsonObject json = Json.parseObject(output());
        assertThat(json.getOrNull("_revision")).isEqualTo(JsonValue.of(3));
        assertThat(json.getValue(JsonPointer.of("/_connectivity/status"))).contains(JsonValue.of("ONLINE"));
        assertThat(json.getValue(JsonPointer.of("/features/switch/properties/on"))).contains(JsonValue.of(true));
        assertThat(json.getOrNull("_lastSeen")).isEqualTo(JsonValue.of("2025-11-24T16:00:00Z"));
    }

    @Test
    void thingFailsWithOneClearLineForUnknownOrInvalidIds() {
        ThingCommand c = new ThingCommand();
        c.registry = registry;
        c.out = out;
        c.thingId = "demo:nope";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessage("No thing with the id 'demo:nope'.");
        c.thingId = "no-colon";
        assertThatThrownBy(c::execute).isInstanceOf(CommandException.class).hasMessageContaining("namespace:name");
        assertThat(output()).isEmpty();
    }

    @Test
    void completesThingIdsByPrefix() {
        assertThat(ThingIdCompleter.candidates(registry.things(), "demo:")).containsExactly("demo:plug-01", "demo:plug-02");
        assertThat(ThingIdCompleter.candidates(registry.things(), "")).hasSize(4);
        assertThat(ThingIdCompleter.candidates(registry.things(), "x")).isEmpty();
    }

    @Test
    void completionOffersABoundedNumberOfIds() {
        TwinRegistryImpl big = TwinRegistryImpl.inMemory();
        try {
            for (int i = 0; i < ThingIdCompleter.MAX_CANDIDATES + 100; i++) {
                big.create(Thing.newBuilder(ThingId.of("bulk", "d-" + String.format("%04d", i))).build());
            }
            assertThat(ThingIdCompleter.candidates(big.things(), "bulk:")).hasSize(ThingIdCompleter.MAX_CANDIDATES)
                    .first().isEqualTo("bulk:d-0000");
        } finally {
            big.close();
        }
    }

    @Test
    void bindingsTableShowsCounters() {
        BindingStats virtual = new BindingStats("virtual", true, 20, 20, 1234, 3, Map.of("things:model.violation", 3L), 7, 0, 0);
        BindingStats mqtt = new BindingStats("mqtt", false, 2, 0, 0, 0, Map.of(), 0, 0, 0);

        BindingsCommand.table(List.of(mqtt, virtual)).print(out);

        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).contains("Binding", "State", "Devices", "Running", "Reports", "Refused", "Desired");
        assertThat(lines.get(2)).startsWith("mqtt").contains("missing");
        assertThat(lines.get(3)).startsWith("virtual").contains("installed", "1234", "things:model.violation=3");
    }
}
