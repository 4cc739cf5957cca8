package io.rosetta.binding.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkFormatTest {

    @Test
    void readsTargetsObservableAndResourceTypes() throws Exception {
        assertThat(LinkFormat.parse("</sensors/temp>;rt=\"temperature-c\";if=\"sensor\";obs, </sensors/light>;ct=41;rt=\"light-lux;x\""))
                .containsExactly(new Registration.Link("/sensors/temp", true, "temperature-c"),
                        new Registration.Link("/sensors/light", false, "light-lux;x"));
        assertThat(LinkFormat.parse("")).isEmpty();
    }

    @Test
    void refusesWhatIsNotLinkFormat() {
        assertThatThrownBy(() -> LinkFormat.parse("temp;obs")).hasMessageContaining("must start with '<'");
        assertThatThrownBy(() -> LinkFormat.parse("</temp")).hasMessageContaining("unterminated '<'");
        assertThatThrownBy(() -> LinkFormat.parse("</temp>;rt=\"x")).hasMessageContaining("unterminated quoted");
        assertThatThrownBy(() -> LinkFormat.parse("</a> </b>")).hasMessageContaining("expected ','");
    }
}
