package io.rosetta.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The test cases of RFC 7396, appendix A. */
class MergePatchTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"b\"}                 | {\"a\":\"c\"}              | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"b\":\"c\"}              | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                 | {\"a\":null}               | {}",
        "{\"a\":\"b\",\"b\":\"c\"}     | {\"a\":null}               | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}               | {\"a\":\"c\"}              | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                 | {\"a\":[\"b\"]}            | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}         | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}       | {\"a\":[1]}                | {\"a\":[1]}",
        "[\"a\",\"b\"]                 | [\"c\",\"d\"]              | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                 | [\"c\"]                    | [\"c\"]",
        "{\"a\":\"foo\"}               | null                       | null",
        "{\"a\":\"foo\"}               | \"bar\"                    | \"bar\"",
        "{\"e\":null}                  | {\"a\":1}                  | {\"e\":null,\"a\":1}",
        "[1,2]                         | {\"a\":\"b\",\"c\":null}   | {\"a\":\"b\"}",
        "{}                            | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"
    })
    void rfc7396Examples(String target, String patch, String expected) {
        assertThat(MergePatch.apply(Json.parse(target), Json.parse(patch))).isEqualTo(Json.parse(expected));
    }

    @org.junit.jupiter.api.Test
    void appliesAtAPointerAndKeepsIdentityWhenNothingChanges() {
        JsonObject thing = Json.parseObject("{\"features\":{\"env\":{\"properties\":{\"t\":1,\"h\":2}}}}");
        JsonObject merged = MergePatch.applyAt(thing, JsonPointer.of("/features/env/properties"), Json.parse("{\"t\":3}"));
        assertThat(merged.toString()).isEqualTo("{\"features\":{\"env\":{\"properties\":{\"t\":3,\"h\":2}}}}");
        assertThat(MergePatch.applyAt(thing, JsonPointer.of("/features/env/properties"), Json.parse("{\"t\":1}"))).isSameAs(thing);
        assertThat(MergePatch.applyAt(thing, JsonPointer.of("/features/env"), JsonNull.INSTANCE).toString())
                .isEqualTo("{\"features\":{}}");
    }
}
