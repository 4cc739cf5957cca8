package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.model.Thing;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference semantics of the filters, on the examples of Ditto's search documentation. */
class FilterTest {

    /** The "tagged thing" of Ditto's basic-search page, plus features. */
    private static final Thing TAGGED = Things.of("""
            {"thingId": "org.eclipse.ditto:tagged-thing-1", "policyId": "org.eclipse.ditto:tagged-thing-1",
             "definition": "org.example:tagged:1.0.0",
             "attributes": {"tags": ["misc", "no-due-date", "high-priority", 2, 3, 5, false, {"room": "kitchen", "floor": 2}],
                            "location": "living-room", "floor": "upper floor", "owner": "SID123", "serial": null,
                            "nested": {"deep": {"value": 7}}},
             "features": {
               "lamp": {"definition": ["org.example:lamp:1.0.0"], "properties": {"on": true, "brightness": 80},
                        "desiredProperties": {"on": false}},
               "temperature": {"properties": {"value": 21.5, "unit": "Cel"}}}}""", 7, "2024-05-01T12:00:00Z");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // arrays: any element, as Ditto documents
        "eq(attributes/tags,\"high-priority\")                 | true",
        "ne(attributes/tags,\"high-priority\")                 | false",
        "in(attributes/tags,\"misc\",\"something-non-matching\") | true",
        "like(attributes/tags,\"*-priority\")                  | true",
        "ne(attributes/tags,1)                                 | true",
        "gt(attributes/tags,6)                                 | false",
        "gt(attributes/tags,4)                                 | true",
        "exists(attributes/tags/room)                          | true",
        "eq(attributes/tags/room,\"kitchen\")                  | true",
        "ge(attributes/tags/floor,2)                           | true",
        "eq(attributes/tags,false)                             | true",
        // scalars, types never converted
        "eq(attributes/location,\"living-room\")               | true",
        "eq(attributes/floor,2)                                | false",
        "ne(attributes/owner,\"SID123\")                       | false",
        "ne(attributes/missing,\"SID123\")                     | false",
        "ne(attributes/location,\"kitchen\")                   | true",
        "eq(attributes/serial,null)                            | true",
        "exists(attributes/serial)                             | true",
        "exists(attributes/nested)                             | true",
        "eq(attributes/nested/deep/value,7.0)                  | true",
        "gt(attributes/location,1)                             | false",
        "gt(attributes/location,\"a\")                         | true",
        "lt(attributes/location,\"a\")                         | false",
        // like / ilike
        "like(attributes/location,\"living*\")                 | true",
        "like(attributes/location,\"*room\")                   | true",
        "like(attributes/location,\"*ving-r*\")                | true",
        "like(attributes/location,\"liv?ng-room\")             | true",
        "like(attributes/location,\"LIVING*\")                 | false",
        "ilike(attributes/location,\"LIVING*\")                | true",
        "like(attributes/location,\"living\")                  | false",
        "not(like(thingId,\"org.eclipse.ditto:blocked*\"))     | true",
        // ids, definition, special fields
        "eq(thingId,\"org.eclipse.ditto:tagged-thing-1\")      | true",
        "eq(_namespace,\"org.eclipse.ditto\")                  | true",
        "eq(policyId,\"org.eclipse.ditto:tagged-thing-1\")     | true",
        "eq(definition,\"org.example:tagged:1.0.0\")           | true",
        "eq(_revision,7)                                       | true",
        "gt(_revision,7)                                       | false",
        "ge(_modified,\"2024-05-01T12:00:00Z\")                | true",
        "gt(_modified,\"2024-05-01T12:00:00.001Z\")            | false",
        "lt(_created,\"2025-01-01T00:00:00Z\")                 | true",
        // features: by id, wildcard, desired state, definition
        "exists(features/lamp)                                 | true",
        "exists(features/fan)                                  | false",
        "eq(features/lamp/properties/on,true)                  | true",
        "eq(features/lamp/desiredProperties/on,false)          | true",
        "eq(features/lamp/definition,\"org.example:lamp:1.0.0\") | true",
        "eq(features/*/properties/value,21.5)                  | true",
        "eq(features/*/properties/on,true)                     | true",
        "exists(features/*/properties/unit)                    | true",
        "exists(features/*/desiredProperties/unit)             | false",
        "gt(features/temperature/properties/value,21)          | true",
        "gt(features/temperature/properties/value,21.5)        | false",
        // logic
        "and(exists(features/lamp),eq(attributes/location,\"living-room\"))           | true",
        "and(eq(attributes/floor,\"upper floor\"),eq(attributes/location,\"kitchen\")) | false",
        "or(eq(attributes/floor,\"upper floor\"),eq(attributes/location,\"kitchen\"))  | true",
        "not(exists(attributes/missing))                       | true"})
    void matchesAsDittoDocuments(String rql, boolean expected) {
        assertThat(RqlParser.parseFilter(rql.strip()).matches(TAGGED)).as(rql).isEqualTo(expected);
    }
}
