package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The core's {@link ThingFilters} contract, served by the search's parser with the search's semantics. */
class RqlThingFiltersTest {

    private final ThingFilters filters = new RqlThingFilters();

    private static final Thing KITCHEN = Things.of("""
            {"thingId":"org.example:lamp-1","attributes":{"room":"kitchen","tags":["a","b"]},
             "features":{"temperature":{"properties":{"value":21.5}}}}""", 3, "2024-05-01T12:00:00Z");
    private static final Thing HALL = Things.of("""
            {"thingId":"org.other:lamp-2","attributes":{"room":"hall"},
             "features":{"temperature":{"properties":{"value":18}}}}""", 1, "2024-05-01T12:00:00Z");

    @Test
    void selectsTheThingsTheSearchWouldFind() {
        Predicate<Thing> p = filters.parse("and(eq(attributes/room,\"kitchen\"),gt(features/temperature/properties/value,20))");
        assertThat(List.of(KITCHEN, HALL).stream().filter(p)).containsExactly(KITCHEN);
        assertThat(filters.parse("eq(attributes/tags,\"b\")").test(KITCHEN)).isTrue();
        assertThat(filters.parse("eq(_namespace,\"org.other\")").test(HALL)).isTrue();
        assertThat(filters.parse("ge(_revision,2)").test(HALL)).isFalse();
        assertThat(filters.parse("not(exists(attributes/room))").test(KITCHEN)).isFalse();
        assertThat(p).hasToString("and(eq(attributes/room,\"kitchen\"),gt(features/temperature/properties/value,20))");
    }

    @Test
    void agreesWithTheSearchOnEveryExpressionOfTheReferenceSemantics() {
        for (String rql : List.of("like(thingId,\"org.example:*\")", "in(attributes/room,\"hall\",\"attic\")",
                "exists(features/*/properties/value)", "lt(features/temperature/properties/value,19)", "ne(attributes/room,\"hall\")")) {
            for (Thing t : List.of(KITCHEN, HALL)) {
                assertThat(filters.parse(rql).test(t)).as(rql + " on " + t.thingId()).isEqualTo(RqlParser.parseFilter(rql).matches(t));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aBlankExpressionSelectsEveryThing(String rql) {
        assertThat(filters.parse(rql).test(KITCHEN)).isTrue();
        assertThat(filters.parse(rql).test(HALL)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eq(attributes/room,\"kitchen\"", "eq(attributes/room,kitchen)", "foo(attributes/room,1)",
        "eq(nowhere/room,1)", "and()", "eq(attributes/room,\"a\") trailing"})
    void refusesMalformedExpressionsWith400NamingThePosition(String rql) {
        assertThatThrownBy(() -> filters.parse(rql)).isInstanceOfSatisfying(TwinException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo("things:filter.invalid");
            assertThat(e.getMessage()).contains("at position");
            assertThat(e.description()).isNotBlank();
        });
    }
}
