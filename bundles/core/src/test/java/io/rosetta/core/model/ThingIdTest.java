package io.rosetta.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThingIdTest {

    /** The namespace grammar as a regular expression: the hand-written check must agree with it. */
    private static final Pattern NAMESPACE = Pattern.compile("|[a-zA-Z]\\w*(?:\\.[a-zA-Z]\\w*)*");

    @ParameterizedTest
    @ValueSource(strings = {"", "mqtt", "org.example", "a.b.c", "A_1.b2_", "x9", "org.example.", ".org", "org..example", "1abc",
        "org.1x", "_x", "a-b", "a b", "ä", "org.exa mple", "org:x", "a._b", "a.B_"})
    void namespacesFollowTheGrammar(String namespace) {
        boolean valid = NAMESPACE.matcher(namespace).matches();
        assertThat(ThingId.validNamespace(namespace)).isEqualTo(valid);
        if (valid) {
            assertThat(ThingId.of(namespace, "x").namespace()).isEqualTo(namespace);
        } else {
            assertThatThrownBy(() -> ThingId.of(namespace, "x")).isInstanceOf(InvalidIdException.class);
        }
    }
}
