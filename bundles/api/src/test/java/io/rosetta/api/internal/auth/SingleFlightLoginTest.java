package io.rosetta.api.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.api.security.ApiUser;
import io.rosetta.core.model.TwinException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stampede of requests with the same new credentials costs the realm one password check: the
 * realm's login is held open until every other request waits for it, so the test shows that they
 * share it rather than running their own.
 */
class SingleFlightLoginTest {

    private static final int REQUESTS = 16;

    private ExecutorService pool;
    private JaasAuthenticator authenticator;

    @BeforeEach
    void start() {
        GatedLoginModule.reset();
        pool = Executors.newFixedThreadPool(REQUESTS);
        authenticator = new JaasAuthenticator("gated", GatedLoginModule.configuration(), Duration.ofSeconds(60), 16, System::nanoTime, null, null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        GatedLoginModule.gate.countDown();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void concurrentRequestsWithTheSameNewCredentialsShareOneLogin() throws Exception {
        List<Future<ApiUser>> results = stampede(basic("alice", "right"));

        await().atMost(Duration.ofSeconds(10)).until(() -> authenticator.sharedLogins() == REQUESTS - 1);
        assertThat(GatedLoginModule.started).hasValue(1);
        GatedLoginModule.gate.countDown();

        for (Future<ApiUser> r : results) {
            assertThat(r.get(10, TimeUnit.SECONDS).name()).isEqualTo("alice");
        }
        assertThat(GatedLoginModule.started).hasValue(1);
        assertThat(authenticator.logins()).isEqualTo(1);
        // and the next request is served from the cache
        assertThat(authenticator.authenticate(basic("alice", "right")).name()).isEqualTo("alice");
        assertThat(GatedLoginModule.started).hasValue(1);
    }

    @Test
    void aRefusedLoginIsSharedByItsWaitersButNeverRemembered() throws Exception {
        List<Future<ApiUser>> results = stampede(basic("alice", "wrong"));

        await().atMost(Duration.ofSeconds(10)).until(() -> authenticator.sharedLogins() == REQUESTS - 1);
        GatedLoginModule.gate.countDown();

        for (Future<ApiUser> r : results) {
            try {
                r.get(10, TimeUnit.SECONDS);
                throw new AssertionError("a wrong password was accepted");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(TwinException.class)
                        .hasMessageContaining("credentials are not valid");
            }
        }
        assertThat(GatedLoginModule.started).hasValue(1);
        assertThat(authenticator.failures()).isEqualTo(REQUESTS);
        // a later request with the same wrong password is checked again
        try {
            authenticator.authenticate(basic("alice", "wrong"));
            throw new AssertionError("a wrong password was accepted");
        } catch (TwinException expected) {
            assertThat(GatedLoginModule.started).hasValue(2);
        }
    }

    @Test
    void differentCredentialsDoNotWaitForEachOther() throws Exception {
        GatedLoginModule.gate.countDown();

        assertThat(authenticator.authenticate(basic("alice", "right")).name()).isEqualTo("alice");
        assertThat(authenticator.authenticate(basic("bob", "right")).name()).isEqualTo("bob");

        assertThat(GatedLoginModule.started).hasValue(2);
        assertThat(authenticator.sharedLogins()).isZero();
    }

    private List<Future<ApiUser>> stampede(String header) {
        List<Future<ApiUser>> results = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            results.add(pool.submit(() -> authenticator.authenticate(header)));
        }
        return results;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Accepts any user with the password {@code right}; each login waits at the gate. */
    public static final class GatedLoginModule implements LoginModule {

        static final AtomicInteger started = new AtomicInteger();
        static volatile CountDownLatch gate = new CountDownLatch(1);

        private CallbackHandler handler;

        static void reset() {
            started.set(0);
            gate = new CountDownLatch(1);
        }

        static Configuration configuration() {
            AppConfigurationEntry entry = new AppConfigurationEntry(GatedLoginModule.class.getName(),
                    AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of());
            return new Configuration() {
                @Override
                public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                    return "gated".equals(name) ? new AppConfigurationEntry[] {entry} : null;
                }
            };
        }

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            started.incrementAndGet();
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {name, password});
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new LoginException("the test did not open the gate");
                }
            } catch (LoginException e) {
                throw e;
            } catch (Exception e) {
                throw new LoginException(e.toString());
            }
            if (!"right".equals(new String(password.getPassword()))) {
                throw new FailedLoginException("wrong password");
            }
            return true;
        }

        @Override
        public boolean commit() {
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            return true;
        }
    }
}
