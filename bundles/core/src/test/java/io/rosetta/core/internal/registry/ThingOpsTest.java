package io.rosetta.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.MergePatch;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThingOpsTest {

    private static final ThingId ID = ThingId.of("org.example:plug-1");
    private static final Thing PLUG = Thing.fromJson(Json.parseObject("{\"definition\":\"rosetta:smart-plug:1.0.0\","
            + "\"attributes\":{\"vendor\":\"acme\"},"
            + "\"features\":{\"switch\":{\"properties\":{\"on\":true},\"desiredProperties\":{\"on\":false}},"
            + "\"energy\":{\"properties\":{\"power\":12.5,\"voltage\":230}},\"device\":{\"definition\":[\"rosetta:device:1.0.0\"]}}}"), ID);

    /** A merge at /features gives the twin that the whole-thing JSON path gives, whether it takes the per-feature path or not. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"switch\":{\"properties\":{\"on\":false}},\"energy\":{\"properties\":{\"power\":3,\"current\":0.1}}}",
        "{\"energy\":{\"properties\":{\"power\":12.5}}}",
        "{\"energy\":{\"properties\":{\"voltage\":null}},\"switch\":{\"desiredProperties\":{\"on\":null}}}",
        "{\"device\":{\"properties\":{\"batteryLevel\":80}}}",
        "{\"switch\":{\"properties\":{\"on\":false}},\"climate\":{\"properties\":{\"t\":20}}}",
        "{\"switch\":null}",
        "{\"switch\":{\"definition\":[\"rosetta:switch:2.0.0\"]}}",
        "{\"energy\":{\"properties\":{\"power\":{\"avg\":3}}}}",
        "{}",
    })
    void aMergeAtFeaturesEqualsTheGeneralMerge(String patch) {
        JsonObject p = Json.parseObject(patch);
        JsonPointer features = JsonPointer.of("/features");

        Thing merged = ThingOps.merge(PLUG, features, p);

        Thing general = Thing.fromJson(MergePatch.applyAt(PLUG.toJson(), features, p), ID);
        assertThat(merged.toJson()).isEqualTo(general.toJson());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"energy\":{\"properties\":{\"power\":12.5}}}", "{}"})
    void aMergeThatChangesNothingKeepsTheTwin(String patch) {
        assertThat(ThingOps.merge(PLUG, JsonPointer.of("/features"), Json.parseObject(patch))).isSameAs(PLUG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"switch\":{\"properties\":{\"on\":false}}}"})
    void untouchedFeaturesKeepTheirIdentity(String patch) {
        Thing merged = ThingOps.merge(PLUG, JsonPointer.of("/features"), Json.parseObject(patch));
        assertThat(merged.feature("energy").orElseThrow()).isSameAs(PLUG.feature("energy").orElseThrow());
        assertThat(merged.feature("switch").orElseThrow().desiredProperties())
                .isSameAs(PLUG.feature("switch").orElseThrow().desiredProperties());
    }
}
