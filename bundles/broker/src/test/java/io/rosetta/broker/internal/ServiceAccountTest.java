package io.rosetta.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The service account's Argon2id hash, as the reference implementation's command line tool writes it. */
class ServiceAccountTest {

    /** {@code echo -n 'service-secret-1' | argon2 c2FsdHNhbHRzYWx0 -id -t 2 -m 12 -p 1 -e} (libargon2 20171227). */
    static final String HASH = "$argon2id$v=19$m=4096,t=2,p=1$YzJGc2RITmhiSFJ6WVd4MA$suWr31xVOCjRH4hK7kQDya5AC6VfBZMRzU+21fiDp7A";
    static final String PASSWORD = "service-secret-1";

    @Test
    void verifiesAHashOfTheReferenceImplementation() {
        ServiceAccount account = ServiceAccount.of("rosetta", HASH);
        assertThat(account.username()).isEqualTo("rosetta");
        assertThat(account.verify("service-secret-2".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(account.verify(PASSWORD.getBytes(StandardCharsets.UTF_8))).isTrue();
        // the second time from memory, with the same answers
        assertThat(account.verify(PASSWORD.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(account.verify("service-secret-2".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(account.verify(null)).isFalse();
    }

    @Test
    void noHashNoAccountAndBadHashesAreRefused() {
        assertThat(ServiceAccount.of("rosetta", "")).isNull();
        assertThat(ServiceAccount.of("rosetta", null)).isNull();
        assertThatThrownBy(() -> ServiceAccount.of("rosetta", "plain-password")).hasMessageContaining("PHC format");
        assertThatThrownBy(() -> ServiceAccount.of("", HASH)).hasMessageContaining("serviceUsername");
        assertThatThrownBy(() -> ServiceAccount.of("rosetta", "$argon2id$v=19$m=4096,t=99,p=1$YzJGc2RITmhiSFJ6WVd4MA$suWr31xVOCjRH4hK7kQDya5AC6VfBZMRzU+21fiDp7A"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> ServiceAccount.of("rosetta", "$argon2i$v=19$m=4096,t=2,p=1$YzJGc2RITmhiSFJ6WVd4MA$suWr31xVOCjRH4hK7kQDya5AC6VfBZMRzU+21fiDp7A"))
                .hasMessageContaining("Argon2id");
    }
}
