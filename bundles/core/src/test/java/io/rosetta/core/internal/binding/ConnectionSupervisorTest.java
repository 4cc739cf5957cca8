package io.rosetta.core.internal.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.binding.BackoffPolicy;
import io.rosetta.core.binding.Connector;
import io.rosetta.core.binding.SupervisedConnection;
import io.rosetta.core.model.ConnectivityStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConnectionSupervisorTest {

    private static final BackoffPolicy POLICY =
            BackoffPolicy.of(Duration.ofMillis(100), Duration.ofMillis(500), 2.0).withConnectTimeout(Duration.ofSeconds(5));

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<ConnectivityStatus> statuses = new CopyOnWriteArrayList<>();

    /** A connector whose behaviour the test sets; it records when attempts and disconnects happen. */
    final class TestConnector implements Connector {
        final List<Long> attempts = new ArrayList<>();
        int disconnects;
        Supplier<CompletionStage<?>> behaviour = () -> CompletableFuture.failedFuture(new ConnectException("Connection refused"));

        @Override
        public CompletionStage<?> connect() {
            attempts.add(clock.millis());
            return behaviour.get();
        }

        @Override
        public void disconnect() {
            disconnects++;
        }
    }

    private ConnectionSupervisorImpl supervisor(DoubleSupplier random) {
        return new ConnectionSupervisorImpl(clock, random, POLICY);
    }

    @Test
    void reconnectsWithExponentialBackoffUpToTheMaximum() {
        TestConnector connector = new TestConnector();
        supervisor(() -> 0.5).supervise("broker", connector, statuses::add);

        clock.advance(Duration.ofMillis(3000));

        // waits of 0.5 × min(500, 100·2^n): 50, 100, 200, 250, 250, ...
        assertThat(connector.attempts).startsWith(0L, 50L, 150L, 350L, 600L, 850L, 1100L);
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < connector.attempts.size(); i++) {
            gaps.add(connector.attempts.get(i) - connector.attempts.get(i - 1));
        }
        assertThat(gaps).allSatisfy(g -> assertThat(g).isBetween(50L, 250L));
        assertThat(connector.disconnects).isEqualTo(connector.attempts.size());
    }

    @Test
    void jitterStaysWithinFloorAndCeilingAndVaries() {
        TestConnector connector = new TestConnector();
        SupervisedConnection c = supervisor(() -> ThreadLocalRandom.current().nextDouble()).supervise("broker", connector, statuses::add);

        List<Long> waits = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            clock.runDue();
            assertThat(c.state()).isEqualTo(SupervisedConnection.State.WAITING);
            long wait = c.nextAttemptIn().orElseThrow().toMillis();
            assertThat(wait).as("wait before attempt %d", n).isBetween(BackoffPolicy.MIN_DELAY.toMillis(), POLICY.ceilingMillis(n));
            waits.add(wait);
            clock.advance(Duration.ofMillis(wait));
        }
        assertThat(waits.stream().distinct().count()).as("full jitter spreads the waits").isGreaterThan(50);
        assertThat(waits.subList(10, 300).stream().mapToLong(Long::longValue).average().orElseThrow())
                .as("uniform in [10, 500] averages near 255").isBetween(200.0, 310.0);
    }

    @Test
    void neverSpinsEvenWhenTheRandomDrawIsZero() {
        TestConnector connector = new TestConnector();
        supervisor(() -> 0.0).supervise("broker", connector, statuses::add);

        clock.advance(Duration.ofSeconds(1));

        assertThat(connector.attempts).hasSize(101); // one at once, then one every 10 ms
    }

    @Test
    void reportsTheCauseOnFailureAndOnlineOnRecovery() {
        TestConnector connector = new TestConnector();
        SupervisedConnection c = supervisor(() -> 0.5).supervise("broker", connector, statuses::add);
        clock.runDue();

        assertThat(statuses).containsExactly(
                ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, "Connection refused"));
        assertThat(statuses.get(0).toString()).isEqualTo("OFFLINE/COMMUNICATION_ERROR");
        assertThat(c.failures()).isEqualTo(1);
        assertThat(c.lastFailure()).get().isInstanceOf(ConnectException.class);

        connector.behaviour = () -> CompletableFuture.completedFuture(null);
        clock.advance(Duration.ofMillis(50));

        assertThat(statuses).last().isEqualTo(ConnectivityStatus.ONLINE);
        assertThat(c.state()).isEqualTo(SupervisedConnection.State.CONNECTED);
        assertThat(c.failures()).isZero();
        assertThat(c.lastFailure()).isEmpty();
        assertThat(clock.pending()).as("nothing waits while connected").isZero();
    }

    @Test
    void reconnectsAfterALossStartingAgainFromTheInitialDelay() {
        TestConnector connector = new TestConnector();
        SupervisedConnection c = supervisor(() -> 0.5).supervise("broker", connector, statuses::add);
        clock.advance(Duration.ofMillis(2000)); // many failures: the ceiling is at its maximum
        connector.behaviour = () -> CompletableFuture.completedFuture(null);
        clock.advance(Duration.ofMillis(300));
        assertThat(c.state()).isEqualTo(SupervisedConnection.State.CONNECTED);
        int before = connector.attempts.size();
        long lostAt = clock.millis();

        c.connectionLost(new IOException("Connection reset by peer"));

        assertThat(statuses).last().isEqualTo(
                ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, "Connection reset by peer"));
        assertThat(c.state()).isEqualTo(SupervisedConnection.State.WAITING);
        clock.advance(Duration.ofMillis(100));
        assertThat(connector.attempts).hasSize(before + 1);
        assertThat(connector.attempts.get(before) - lostAt).isEqualTo(50L); // 0.5 × initial, not 0.5 × max
        assertThat(statuses).last().isEqualTo(ConnectivityStatus.ONLINE);
    }

    @Test
    void aLossReportedWhileNotConnectedIsIgnored() {
        TestConnector connector = new TestConnector();
        SupervisedConnection c = supervisor(() -> 0.5).supervise("broker", connector, statuses::add);
        clock.runDue();
        int reported = statuses.size();

        c.connectionLost(new IOException("late"));

        assertThat(statuses).hasSize(reported);
        assertThat(clock.pending()).isEqualTo(1);
    }

    @Test
    void anAttemptThatHangsTimesOutAndALateSuccessIsClosed() {
        TestConnector connector = new TestConnector();
        List<CompletableFuture<Void>> hanging = new ArrayList<>();
        connector.behaviour = () -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            hanging.add(f);
            return f;
        };
        SupervisedConnection c = supervisor(() -> 0.5).supervise("broker", connector, statuses::add);
        clock.runDue();
        assertThat(c.state()).isEqualTo(SupervisedConnection.State.CONNECTING);

        clock.advance(Duration.ofSeconds(5));

        assertThat(c.state()).isEqualTo(SupervisedConnection.State.WAITING);
        assertThat(statuses).containsExactly(ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR,
                "no connection after 5000 ms"));
        assertThat(connector.disconnects).isEqualTo(1);

        hanging.get(0).complete(null); // the first attempt answers after it was given up

        assertThat(statuses).doesNotContain(ConnectivityStatus.ONLINE);
        assertThat(connector.disconnects).isEqualTo(2);
        assertThat(c.state()).isEqualTo(SupervisedConnection.State.WAITING);
    }

    @Test
    void anExceptionFromConnectCountsAsAFailedAttempt() {
        TestConnector connector = new TestConnector();
        connector.behaviour = () -> {
            throw new IllegalStateException("bad broker URL 'tcp//x'");
        };
        SupervisedConnection c = supervisor(() -> 0.5).supervise("broker", connector, statuses::add);
        clock.runDue();

        assertThat(c.state()).isEqualTo(SupervisedConnection.State.WAITING);
        assertThat(statuses).singleElement().extracting(ConnectivityStatus::description).isEqualTo("bad broker URL 'tcp//x'");
    }

    @Test
    void closeStopsAttemptsCancelsTheWaitAndDisconnects() {
        TestConnector connector = new TestConnector();
        ConnectionSupervisorImpl supervisor = supervisor(() -> 0.5);
        SupervisedConnection c = supervisor.supervise("broker", connector, statuses::add);
        clock.runDue();
        assertThat(clock.pending()).isEqualTo(1);
        int attempts = connector.attempts.size();
        int disconnects = connector.disconnects;

        c.close();
        c.close();

        assertThat(c.state()).isEqualTo(SupervisedConnection.State.STOPPED);
        assertThat(clock.pending()).isZero();
        assertThat(connector.disconnects).isEqualTo(disconnects + 1);
        assertThat(supervisor.openConnections()).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(connector.attempts).hasSize(attempts);
    }

    @Test
    void aSuccessThatArrivesAfterCloseIsDisconnectedAndNotReported() {
        TestConnector connector = new TestConnector();
        CompletableFuture<Void> pending = new CompletableFuture<>();
        connector.behaviour = () -> pending;
        SupervisedConnection c = supervisor(() -> 0.5).supervise("broker", connector, statuses::add);
        clock.runDue();

        c.close();
        pending.complete(null);

        assertThat(statuses).isEmpty();
        assertThat(connector.disconnects).isEqualTo(2);
        assertThat(c.state()).isEqualTo(SupervisedConnection.State.STOPPED);
    }

    @Test
    void theSupervisorClosesWhatItStillSupervisesWhenItStops() {
        ConnectionSupervisorImpl supervisor = supervisor(() -> 0.5);
        TestConnector a = new TestConnector();
        TestConnector b = new TestConnector();
        b.behaviour = () -> CompletableFuture.completedFuture(null);
        SupervisedConnection ca = supervisor.supervise("a", a, statuses::add);
        SupervisedConnection cb = supervisor.supervise("b", b, statuses::add);
        clock.runDue();
        assertThat(supervisor.openConnections()).isEqualTo(2);

        supervisor.deactivate();

        assertThat(ca.state()).isEqualTo(SupervisedConnection.State.STOPPED);
        assertThat(cb.state()).isEqualTo(SupervisedConnection.State.STOPPED);
        assertThat(b.disconnects).isEqualTo(1);
        assertThat(clock.pending()).isZero();
        assertThatThrownBy(() -> supervisor.supervise("c", new TestConnector(), statuses::add))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void backoffPolicyBoundsAndValidation() {
        assertThat(POLICY.ceilingMillis(0)).isEqualTo(100);
        assertThat(POLICY.ceilingMillis(2)).isEqualTo(400);
        assertThat(POLICY.ceilingMillis(3)).isEqualTo(500);
        assertThat(POLICY.ceilingMillis(10_000)).isEqualTo(500);
        assertThat(POLICY.delayMillis(0, 0.0)).isEqualTo(10);
        assertThat(POLICY.delayMillis(5, 0.999_999)).isEqualTo(499);
        assertThatThrownBy(() -> BackoffPolicy.of(Duration.ofMillis(1), Duration.ofSeconds(1), 2))
                .hasMessageContaining("initialDelay must be at least 10 ms");
        assertThatThrownBy(() -> BackoffPolicy.of(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> BackoffPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> BackoffPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN))
                .hasMessageContaining("multiplier");
    }
}
