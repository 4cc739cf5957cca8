package io.rosetta.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AdminPasswordTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void environmentWinsOverTheSystemProperty() {
        AdminPassword password = AdminPassword.choose(
                Map.of("ROSETTA_ADMIN_PASSWORD", "from-the-env")::get,
                Map.of("rosetta.admin.password", "from-the-property")::get, random);

        assertThat(password.value()).isEqualTo("from-the-env");
        assertThat(password.source()).isEqualTo(AdminPassword.Source.ENVIRONMENT);
    }

    @Test
    void systemPropertyIsUsedWhenTheEnvironmentHasNoneOrABlankOne() {
        AdminPassword password = AdminPassword.choose(
                Map.of("ROSETTA_ADMIN_PASSWORD", "  ")::get,
                Map.of("rosetta.admin.password", "from-the-property")::get, random);

        assertThat(password.source()).isEqualTo(AdminPassword.Source.SYSTEM_PROPERTY);
        assertThat(password.value()).isEqualTo("from-the-property");
    }

    @Test
    void generatesAStrongPasswordWhenNoneIsGiven() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            AdminPassword password = AdminPassword.choose(name -> null, name -> null, random);
            assertThat(password.source()).isEqualTo(AdminPassword.Source.GENERATED);
            assertThat(password.value()).hasSize(AdminPassword.GENERATED_LENGTH).matches("[A-Za-z2-9]+")
                    .doesNotContain("0", "O", "1", "l", "I");
            seen.add(password.value());
        }
        assertThat(seen).as("every generated password differs").hasSize(200);
    }

    @Test
    void rejectsAShortOrMultiLinePassword() {
        assertThatThrownBy(() -> AdminPassword.choose(Map.of("ROSETTA_ADMIN_PASSWORD", "short")::get, n -> null, random))
                .isInstanceOf(AdminPassword.RejectedPasswordException.class)
                .hasMessageContaining("ROSETTA_ADMIN_PASSWORD").hasMessageContaining("shorter than 8");
        assertThatThrownBy(() -> AdminPassword.choose(n -> null,
                Map.of("rosetta.admin.password", "long enough\nkaraf = karaf")::get, random))
                .isInstanceOf(AdminPassword.RejectedPasswordException.class);
    }

    @Test
    void neverPrintsItsValue() {
        assertThat(AdminPassword.generate(random).toString()).isEqualTo("AdminPassword[source=GENERATED]");
    }
}
