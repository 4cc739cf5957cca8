package io.rosetta.core.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoreSchedulerTest {

    private CoreScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.deactivate();
        }
    }

    @Test
    void runsOnNamedDaemonThreads() throws Exception {
        scheduler = new CoreScheduler(2, 100, "test-scheduler", 1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        scheduler.submit(() -> thread.set(Thread.currentThread())).get(5, TimeUnit.SECONDS);

        assertThat(thread.get().getName()).startsWith("test-scheduler-");
        assertThat(thread.get().isDaemon()).isTrue();
        assertThat(scheduler.poolSize()).isEqualTo(2);
    }

    @Test
    void refusesTasksBeyondItsQueueAndCountsThem() throws Exception {
        scheduler = new CoreScheduler(1, 3, "test-scheduler", 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        scheduler.execute(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
        }

        assertThatThrownBy(() -> scheduler.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("queue is full");
        assertThat(scheduler.rejected()).isEqualTo(1);
        release.countDown();
    }

    @Test
    void aPeriodicTaskThatThrowsKeepsItsSchedule() {
        scheduler = new CoreScheduler(1, 100, "test-scheduler", 1);
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> f = scheduler.scheduleWithFixedDelay(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("device unreachable");
        }, 0, 5, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
        assertThat(f.isDone()).isFalse();
        assertThat(scheduler.failures()).isGreaterThanOrEqualTo(3);
        f.cancel(false);
    }

    @Test
    void consumersCannotShutItDownButDeactivationDoes() {
        scheduler = new CoreScheduler(1, 100, "test-scheduler", 1);
        assertThatThrownBy(scheduler::shutdown).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(scheduler::shutdownNow).isInstanceOf(UnsupportedOperationException.class);
        scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);

        scheduler.deactivate();

        assertThat(scheduler.isShutdown()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(scheduler::isTerminated);
        assertThatThrownBy(() -> scheduler.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        scheduler = null;
    }

    @Test
    void defaultSizeIsAtLeastTwoThreads() {
        assertThat(CoreScheduler.threads(0)).isGreaterThanOrEqualTo(2);
        assertThat(CoreScheduler.threads(3)).isEqualTo(3);
    }
}
