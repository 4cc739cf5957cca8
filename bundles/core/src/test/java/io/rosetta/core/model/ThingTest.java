package io.rosetta.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import nl.jqno.equalsverifier.EqualsVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThingTest {

    private static final String DITTO_THING = "{\"thingId\":\"org.example:sensor-1\",\"policyId\":\"org.example:policy\","
            + "\"definition\":\"rosetta:temperature-humidity-sensor:1.0.0\",\"attributes\":{\"location\":\"kitchen\"},"
            + "\"features\":{\"temperature\":{\"definition\":[\"rosetta:temperature:1.0.0\"],\"properties\":{\"value\":21.5},"
            + "\"desiredProperties\":{\"setpoint\":20}}}}";

    @Test
    void readsAndWritesDittoThingJsonExactly() {
        Thing thing = Thing.fromJson(Json.parseObject(DITTO_THING), null);
        assertThat(thing.thingId()).isEqualTo(ThingId.of("org.example", "sensor-1"));
        assertThat(thing.feature("temperature").get().properties().getOrNull("value").toString()).isEqualTo("21.5");
        assertThat(thing.toJson().toString()).isEqualTo(DITTO_THING);
    }

    @Test
    void specialFieldsAppearOnlyWhenSelected() {
        Thing thing = Thing.fromJson(Json.parseObject(DITTO_THING), null).toBuilder().revision(7).created(0).modified(1000)
                .connectivity(ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, "broker down")).build();
        assertThat(thing.toJson().contains("_revision")).isFalse();
        JsonObject selected = thing.toJson(FieldSelector.of("thingId,_revision,_connectivity,features/temperature/properties(value)"));
        assertThat(selected.toString()).isEqualTo("{\"thingId\":\"org.example:sensor-1\",\"_revision\":7,"
                + "\"_connectivity\":{\"status\":\"OFFLINE\",\"detail\":\"COMMUNICATION_ERROR\",\"description\":\"broker down\"},"
                + "\"features\":{\"temperature\":{\"properties\":{\"value\":21.5}}}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"thingId\":\"org.example:a\",\"attributes\":[1]}",
        "{\"thingId\":\"org.example:a\",\"features\":{\"f\":{\"properties\":3}}}",
        "{\"thingId\":\"org.example:a\",\"features\":{\"f\":{\"definition\":\"x\"}}}",
        "{\"thingId\":\"org.example:a\",\"features\":{\"f\":{\"colour\":{}}}}",
        "{\"thingId\":\"org.example:a\",\"unknown\":1}",
        "{\"thingId\":\"org.example:a\",\"policyId\":5}",
        "{\"thingId\":\"no-colon\"}",
        "{\"policyId\":\"a:b\"}"
    })
    void refusesMalformedThingsWithA400(String json) {
        assertThatThrownBy(() -> Thing.fromJson(Json.parseObject(json), null))
                .isInstanceOf(TwinException.class)
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(400));
    }

    @Test
    void refusesABodyIdDifferentFromTheRequestId() {
        assertThatThrownBy(() -> Thing.fromJson(Json.parseObject("{\"thingId\":\"a:b\"}"), ThingId.of("a:c")))
                .hasMessageContaining("differs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.example:sensor-1", ":no-namespace", "a.b.c:x:y:z", "ns:name with spaces"})
    void acceptsDittoThingIds(String id) {
        assertThat(ThingId.of(id).toString()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nocolon", "1ns:name", "ns:", "ns:a/b", "ns..x:y", "ns:\u0001"})
    void refusesInvalidThingIds(String id) {
        assertThatThrownBy(() -> ThingId.of(id)).isInstanceOf(InvalidIdException.class)
                .satisfies(e -> assertThat(((TwinException) e).errorCode()).isEqualTo("things:id.invalid"));
    }

    @Test
    void withersReturnThisWhenNothingChanges() {
        Thing thing = Thing.fromJson(Json.parseObject(DITTO_THING), null);
        Feature f = thing.feature("temperature").get();
        assertThat(thing.withFeature(f)).isSameAs(thing);
        assertThat(f.withProperties(f.properties())).isSameAs(f);
    }

    @Test
    void fieldSelectorParsesDittoSyntax() {
        assertThat(FieldSelector.of("thingId,features(a/properties,b)").pointers()).hasToString("[/thingId, /features/a/properties, /features/b]");
        assertThatThrownBy(() -> FieldSelector.of("features(a")).isInstanceOf(TwinException.class);
    }

    @Test
    void idsHaveSoundEquality() {
        EqualsVerifier.forClass(ThingId.class).withOnlyTheseFields("text").suppress(nl.jqno.equalsverifier.Warning.NULL_FIELDS).verify();
    }
}
