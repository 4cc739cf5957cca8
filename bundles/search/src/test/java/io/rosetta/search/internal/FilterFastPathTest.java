package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.model.Thing;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filters decide single-valued paths without collecting values (the path every live-stream event takes for
 * every subscriber); a wildcard feature takes the collecting path. On things with one feature both must agree,
 * whatever the value's shape.
 */
class FilterFastPathTest {

    private static final List<String> VALUES = List.of("21", "21.0", "-0.0", "0", "\"21\"", "\"kitchen\"", "true", "false", "null",
            "[21, 22]", "[\"kitchen\", 3]", "[]", "{\"x\": 21}", "[{\"x\": 21}, {\"x\": 5}]", "{\"x\": [21]}");
    private static final List<String> OPERANDS = List.of("21", "0", "\"kitchen\"", "\"21\"", "true", "null", "-5", "\"a\"");
    private static final List<String> RELATIONS = List.of("eq", "ne", "gt", "ge", "lt", "le");

    @Test
    void singleValuedPathsAgreeWithTheCollectingPath() {
        int checked = 0;
        for (String value : VALUES) {
            Thing thing = Things.of("{\"thingId\":\"org.example:t\",\"attributes\":{\"v\":" + value + "},"
                    + "\"features\":{\"f\":{\"properties\":{\"v\":" + value + "}}}}");
            for (String sub : List.of("v", "v/x")) {
                for (String op : RELATIONS) {
                    for (String operand : OPERANDS) {
                        String fast = op + "(features/f/properties/" + sub + "," + operand + ")";
                        String collecting = op + "(features/*/properties/" + sub + "," + operand + ")";
                        boolean expected = RqlParser.parseFilter(collecting).matches(thing);
                        assertThat(RqlParser.parseFilter(fast).matches(thing)).as(fast + " on " + value).isEqualTo(expected);
                        assertThat(RqlParser.parseFilter(fast.replace("features/f/properties/", "attributes/")).matches(thing))
                                .as(fast + " on attributes " + value).isEqualTo(expected);
                        checked++;
                    }
                }
                String exists = "exists(features/f/properties/" + sub + ")";
                assertThat(RqlParser.parseFilter(exists).matches(thing)).as(exists + " on " + value)
                        .isEqualTo(RqlParser.parseFilter("exists(features/*/properties/" + sub + ")").matches(thing));
            }
        }
        assertThat(checked).isEqualTo(VALUES.size() * 2 * RELATIONS.size() * OPERANDS.size());
    }
}
