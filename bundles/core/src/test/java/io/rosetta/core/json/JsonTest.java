package io.rosetta.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void parsesAndWritesEveryKindOfValueKeepingMemberOrder() {
        String text = "{\"b\":1,\"a\":[true,false,null,\"x\",2.5,-7],\"c\":{\"d\":{}}}";
        JsonValue v = Json.parse(text);
        assertThat(v.toString()).isEqualTo(text);
        assertThat(v.asObject().keys()).containsExactly("b", "a", "c");
        assertThat(v.asObject().getValue(JsonPointer.of("/a")).get().asArray().get(4)).isEqualTo(JsonNumber.of(2.5));
    }

    @Test
    void nestedMembersAreReadIntoTheirOwnObjectsAndArrays() {
        String text = "{\"a\":[1,[2,{\"x\":[],\"y\":{}}],3],\"b\":{\"c\":[{\"d\":1,\"d\":2,\"e\":[4,5]}]},\"f\":[]}";
        JsonObject o = Json.parseObject(text);
        // a repeated key keeps its first place and its last value, as the builder does
        assertThat(o.toString()).isEqualTo(text.replace("\"d\":1,\"d\":2", "\"d\":2"));
        assertThat(o.keys()).containsExactly("a", "b", "f");
        assertThat(o.getValue(JsonPointer.of("/a")).get().asArray().size()).isEqualTo(3);
        assertThat(o.getValue(JsonPointer.of("/b/c")).get().asArray().get(0).asObject().keys()).containsExactly("d", "e");
        assertThat(Json.parse("[]")).isSameAs(JsonArray.empty());
        assertThat(Json.parse("{}")).isSameAs(JsonObject.empty());
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 40; i++) { // more members than the reader's first stack holds
            wide.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":[").append(i).append(",{\"n\":").append(i).append("}]");
        }
        JsonObject w = Json.parseObject(wide.append("}").toString());
        assertThat(w.size()).isEqualTo(40);
        assertThat(w.getOrNull("m39").asArray().get(1).asObject().getOrNull("n")).isEqualTo(JsonNumber.of(39));
        assertThat(w.toString()).isEqualTo(wide.toString());
    }

    @Test
    void integralNumbersStayIntegral() {
        assertThat(Json.parse("21").typeName()).isEqualTo("integer");
        assertThat(Json.parse("21.5").typeName()).isEqualTo("number");
        assertThat(Json.parse("21.0")).isEqualTo(JsonNumber.of(21));
        assertThat(Json.parse("12345678901234").toString()).isEqualTo("12345678901234");
    }

    @Test
    void sharesKeysBetweenParsedObjects() {
        JsonObject a = Json.parseObject("{\"temperature\":1}");
        JsonObject b = Json.parseObject("{\"temperature\":2}");
        assertThat(a.keyAt(0)).isSameAs(b.keyAt(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":",
        "{\"a\":1}}",
        "[1,2",
        "nope",
        "''"
    })
    void refusesMalformedJsonWithAClearError(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(InvalidJsonException.class).hasMessageStartingWith("Invalid JSON");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void objectsCompareByMembersNotOrder() {
        assertThat(Json.parse("{\"a\":1,\"b\":2}")).isEqualTo(Json.parse("{\"b\":2,\"a\":1}"));
        assertThat(Json.parse("{\"a\":1}")).isNotEqualTo(Json.parse("{\"a\":1,\"b\":2}"));
    }

    @Test
    void settersReturnNewObjectsOrThisWhenNothingChanges() {
        JsonObject o = Json.parseObject("{\"a\":{\"b\":1}}");
        JsonObject same = o.set("a", o.getOrNull("a"));
        assertThat(same).isSameAs(o);
        JsonObject changed = o.set(JsonPointer.of("a/c/d"), JsonValue.of("x"));
        assertThat(changed.toString()).isEqualTo("{\"a\":{\"b\":1,\"c\":{\"d\":\"x\"}}}");
        assertThat(o.toString()).isEqualTo("{\"a\":{\"b\":1}}");
        assertThat(changed.remove(JsonPointer.of("/a/b")).toString()).isEqualTo("{\"a\":{\"c\":{\"d\":\"x\"}}}");
        assertThat(o.remove(JsonPointer.of("/x/y"))).isSameAs(o);
    }

    @Test
    void settingBelowAScalarIsRefused() {
        JsonObject o = Json.parseObject("{\"a\":1}");
        assertThatThrownBy(() -> o.set(JsonPointer.of("a/b"), JsonValue.of(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/a");
    }

    @Test
    void largeObjectsUseAnIndex() {
        JsonObject.Builder b = JsonObject.newBuilder();
        for (int i = 0; i < 100; i++) {
            b.set("k" + i, i);
        }
        JsonObject o = b.build();
        assertThat(o.getOrNull("k77")).isEqualTo(JsonNumber.of(77));
        assertThat(o.set("k5", JsonValue.of(-1)).getOrNull("k5")).isEqualTo(JsonNumber.of(-1));
        assertThat(o.contains("nope")).isFalse();
    }

    @Test
    void pointersParseWithOrWithoutLeadingSlashAndEscape() {
        assertThat(JsonPointer.of("a/b")).isEqualTo(JsonPointer.of("/a/b"));
        JsonPointer p = JsonPointer.of("/a~1b/c~0d");
        assertThat(p.get(0)).isEqualTo("a/b");
        assertThat(p.get(1)).isEqualTo("c~d");
        assertThat(p.toString()).isEqualTo("/a~1b/c~0d");
        assertThat(JsonPointer.of("/")).isEqualTo(JsonPointer.empty());
        assertThatThrownBy(() -> JsonPointer.of("a//b")).isInstanceOf(InvalidJsonPointerException.class);
        assertThatThrownBy(() -> JsonPointer.of("a/b/")).isInstanceOf(InvalidJsonPointerException.class);
        assertThatThrownBy(() -> JsonPointer.of("a~2")).isInstanceOf(InvalidJsonPointerException.class);
    }

    @Test
    void valueTypesHaveSoundEquality() {
        EqualsVerifier.forClass(JsonPointer.class).withIgnoredFields("text").suppress(Warning.NONFINAL_FIELDS).verify();
        EqualsVerifier.forClass(JsonString.class).suppress(Warning.NULL_FIELDS).verify();
        EqualsVerifier.forClass(JsonArray.class).suppress(Warning.NULL_FIELDS)
                .withPrefabValues(JsonValue[].class, new JsonValue[] {JsonValue.of(1)}, new JsonValue[] {JsonValue.of("x")}).verify();
        EqualsVerifier.forClass(JsonObject.class).withIgnoredFields("index")
                .withPrefabValues(JsonValue[].class, new JsonValue[] {JsonValue.of(1)}, new JsonValue[] {JsonValue.of("x")})
                .withPrefabValues(String[].class, new String[] {"a"}, new String[] {"b"}).suppress(Warning.NONFINAL_FIELDS, Warning.NULL_FIELDS).verify();
    }
}
