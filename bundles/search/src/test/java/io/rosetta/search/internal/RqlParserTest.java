package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RqlParserTest {

    /** The examples of Ditto's RQL documentation (basic-rql), each parsed and written back normalized. */
    @ParameterizedTest
    @ValueSource(strings = {
        "eq(attributes/location,\"kitchen\")",
        "eq(attributes/owner,\"SID123\")",
        "ne(attributes/owner,\"SID123\")",
        "gt(thingId,\"A000\")",
        "ge(thingId,\"A000\")",
        "lt(thingId,\"A000\")",
        "le(thingId,\"A000\")",
        "in(thingId,\"A000\",\"AB00\",\"AZ99\")",
        "like(attributes/key1,\"*known-chars-at-end\")",
        "like(attributes/key1,\"known-chars-at-start*\")",
        "like(attributes/key1,\"*known-chars-in-between*\")",
        "like(attributes/key1,\"just-som?-char?-unkn?wn\")",
        "ilike(attributes/key1,\"*known-CHARS-at-end\")",
        "exists(features/feature_1)",
        "and(exists(features/lamp),eq(attributes/location,\"living-room\"))",
        "and(eq(attributes/floor,\"upper floor\"),eq(attributes/location,\"living-room\"))",
        "or(eq(attributes/floor,\"upper floor\"),eq(attributes/location,\"living-room\"))",
        "not(like(thingId,\"org.eclipse.ditto:blocked*\"))",
        "eq(features/*/properties/value,21.5)",
        "gt(features/temperature/properties/value,20)",
        "eq(features/lamp/desiredProperties/on,true)",
        "eq(features/lamp/definition,\"org.example:lamp:1.0.0\")",
        "eq(policyId,\"org.example:default\")",
        "eq(definition,\"rosetta:smart-plug:1.0.0\")",
        "ge(_revision,3)",
        "eq(attributes/serial,null)",
        "eq(attributes/on,false)",
        "lt(attributes/delta,-1.5)"})
    void parsesDittosExamples(String rql) {
        assertThat(RqlParser.parseFilter(rql).toString()).isEqualTo(rql);
    }

    @Test
    void readsTheTreeItDescribes() {
        Filter f = RqlParser.parseFilter("and(eq(attributes/foo,1),lt(attributes/bar,10))");
        assertThat(f).isInstanceOf(Filter.And.class);
        Filter.And and = (Filter.And) f;
        assertThat(and.children()).hasSize(2);
        Filter.Compare lt = (Filter.Compare) and.children().get(1);
        assertThat(lt.op()).isEqualTo(Filter.Op.LT);
        assertThat(lt.path().toString()).isEqualTo("attributes/bar");
        assertThat(lt.value()).isEqualTo(ValueKey.of(10));
    }

    @Test
    void acceptsDittosSpellingVariants() {
        // leading slash, single quotes, whitespace between tokens, escaped quotes, numbers in all JSON forms
        assertThat(RqlParser.parseFilter("eq(/attributes/location,'kitchen')")).hasToString("eq(attributes/location,\"kitchen\")");
        assertThat(RqlParser.parseFilter(" and( eq(attributes/a , 1) ,  exists(thingId) ) ")).hasToString("and(eq(attributes/a,1),exists(thingId))");
        assertThat(RqlParser.parseFilter("eq(attributes/q,\"say \\\"hi\\\"\")")).hasToString("eq(attributes/q,\"say \\\"hi\\\"\")");
        assertThat(((Filter.Compare) RqlParser.parseFilter("eq(attributes/n,2.5e3)")).value()).isEqualTo(ValueKey.of(2500));
        assertThat(RqlParser.parseFilter("eq(attributes/a~1b,1)")).hasToString("eq(attributes/a~1b,1)");
        assertThat(RqlParser.parseFilter("")).isInstanceOf(Filter.All.class);
    }

    @Test
    void timesAreComparedAsInstants() {
        Filter.Compare c = (Filter.Compare) RqlParser.parseFilter("gt(_modified,\"2024-05-01T12:00:00Z\")");
        assertThat(c.value()).isEqualTo(ValueKey.of(1714564800000.0));
        assertThatThrownBy(() -> RqlParser.parseFilter("gt(_modified,\"yesterday\")"))
                .isInstanceOf(RqlException.class).hasMessageContaining("ISO-8601").hasMessageContaining("position 13");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "eq(attributes/a,1                  | 17 | expected ')'",
        "eq(attributes/a 1)                 | 16 | expected ','",
        "eq(attributes/a,)                  | 16 | expected a value",
        "eq(attributes/a,kitchen)           | 16 | is not a value",
        "eq(attributes/a,01)                | 16 | is not a value",
        "eq(attributes/a,\"open)            | 16 | not closed",
        "exist(attributes/a)                | 0  | unknown operator 'exist'",
        "eq(colour,1)                       | 3  | unknown property 'colour'",
        "eq(attributes//a,1)                | 3  | not a valid JSON pointer",
        "eq(features/x/props/a,1)           | 3  | 'properties', 'desiredProperties' and 'definition'",
        "and(eq(attributes/a,1),)           | 23 | expected an operator",
        "and()                              | 4  | expected an operator",
        "not(exists(thingId)                | 19 | expected ')'",
        "eq(thingId,\"a\"))                 | 15 | after the end of the filter",
        "like(attributes/a,5)               | 18 | quoted string pattern",
        "like(attributes/a,\"\")            | 18 | pattern of 'like' is empty",
        "eq                                 | 2  | expected '('",
        "(eq(thingId,1))                    | 0  | expected an operator"})
    void refusesMalformedFiltersNamingThePosition(String rql, int position, String problem) {
        assertThatThrownBy(() -> RqlParser.parseFilter(rql.strip()))
                .isInstanceOfSatisfying(RqlException.class, e -> assertThat(e.position()).isEqualTo(position))
                .hasMessageContaining(problem)
                .hasMessageContaining("at position " + position);
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "not(".repeat(RqlParser.MAX_DEPTH + 1) + "exists(thingId)" + ")".repeat(RqlParser.MAX_DEPTH + 1);
        assertThatThrownBy(() -> RqlParser.parseFilter(deep)).isInstanceOf(RqlException.class).hasMessageContaining("deeper than");
    }

    @Test
    void parsesOptions() {
        SearchOptions o = RqlParser.parseOptions("sort(-attributes/location,+thingId),size(10)");
        assertThat(o.sort()).extracting(SortKey::toString).containsExactly("-attributes/location", "+thingId");
        assertThat(o.size()).isEqualTo(10);
        assertThat(o.effectiveSort()).hasSize(2);
        // a '+' that URL decoding turned into a space still sorts ascending
        assertThat(RqlParser.parseOptions("sort( attributes/x)").sort()).extracting(SortKey::toString).containsExactly("+attributes/x");
        assertThat(RqlParser.parseOptions("sort(+attributes/x)").effectiveSort()).extracting(SortKey::toString)
                .containsExactly("+attributes/x", "+thingId");
        assertThat(RqlParser.parseOptions("size(5),cursor(abc_-9)").cursor()).isEqualTo("abc_-9");
        SearchOptions limit = RqlParser.parseOptions("sort(+thingId),limit(10,5)");
        assertThat(List.of(limit.limit(), limit.offset(), limit.size())).containsExactly(true, 10, 5);
        SearchOptions defaults = RqlParser.parseOptions(null);
        assertThat(defaults.size()).isEqualTo(SearchOptions.DEFAULT_SIZE);
        assertThat(defaults.effectiveSort()).extracting(SortKey::toString).containsExactly("+thingId");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "size(0)                  | 5  | between 1 and 200",
        "size(201)                | 5  | between 1 and 200",
        "size(ten)                | 5  | whole number",
        "sort(+colour)            | 6  | unknown property",
        "sort(+thingId),sort(-thingId) | 15 | sort is given twice",
        "page(2)                  | 0  | unknown option 'page'",
        "size(5)x                 | 7  | after the options",
        "cursor()                 | 7  | expected the cursor",
        "limit(0,5),cursor(abc)   | 0  | cannot be combined"})
    void refusesMalformedOptions(String option, int position, String problem) {
        assertThatThrownBy(() -> RqlParser.parseOptions(option.strip()))
                .isInstanceOfSatisfying(RqlException.class, e -> assertThat(e.position()).isEqualTo(position))
                .hasMessageContaining(problem);
    }
}
