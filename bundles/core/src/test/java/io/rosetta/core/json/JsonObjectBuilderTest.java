package io.rosetta.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonObjectBuilderTest {

    @Test
    void keepsInsertionOrderReplacesInPlaceAndGrows() {
        JsonObject.Builder b = JsonObject.newBuilder();
        for (int i = 0; i < 20; i++) {
            b.set("k" + i, i);
        }
        b.set("k3", "three").remove("k0").remove("k19").remove("absent").set("k20", true);

        JsonObject o = b.build();

        assertThat(o.size()).isEqualTo(19);
        assertThat(o.keyAt(0)).isEqualTo("k1");
        assertThat(o.getOrNull("k3")).isEqualTo(JsonValue.of("three"));
        assertThat(o.keyAt(2)).isEqualTo("k3");
        assertThat(o.keyAt(17)).isEqualTo("k18");
        assertThat(o.keyAt(18)).isEqualTo("k20");
        assertThat(o.contains("k0")).isFalse();
        assertThat(o.contains("k19")).isFalse();
        assertThat(Json.parseObject(Json.write(o))).isEqualTo(o);
    }

    @Test
    void aBuilderFromAnObjectLeavesTheObjectAlone() {
        JsonObject o = Json.parseObject("{\"a\":1,\"b\":2,\"c\":3}");

        JsonObject changed = o.toBuilder().set("b", 20).set("d", 4).remove("a").build();

        assertThat(changed.toString()).isEqualTo("{\"b\":20,\"c\":3,\"d\":4}");
        assertThat(o.toString()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3}");
        assertThat(JsonObject.newBuilder().build()).isSameAs(JsonObject.empty());
        assertThat(Json.parseObject("{\"a\":1,\"a\":2}").toString()).isEqualTo("{\"a\":2}");
    }

    @Test
    void aFullBuilderHandsItsArraysOverAndCopiesThemBeforeTheNextChange() {
        JsonObject.Builder b = JsonObject.newBuilder();
        for (int i = 0; i < 8; i++) { // the builder's first capacity: full
            b.set("k" + i, i);
        }
        JsonObject first = b.build();
        String before = first.toString();

        JsonObject replaced = b.set("k0", "zero").build();
        JsonObject removed = b.remove("k1").build();
        JsonObject grown = b.set("k1", 1).set("k8", 8).build();

        assertThat(first.toString()).isEqualTo(before);
        assertThat(replaced.getOrNull("k0")).isEqualTo(JsonValue.of("zero"));
        assertThat(replaced.size()).isEqualTo(8);
        assertThat(removed.contains("k1")).isFalse();
        assertThat(removed.getOrNull("k0")).isEqualTo(JsonValue.of("zero"));
        assertThat(grown.size()).isEqualTo(9);
        assertThat(first.getOrNull("k0")).isEqualTo(JsonValue.of(0));
        assertThat(replaced.contains("k1")).isTrue();
    }
}
