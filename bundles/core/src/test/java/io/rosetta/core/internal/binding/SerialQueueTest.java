package io.rosetta.core.internal.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialQueueTest {

    @Test
    void runsTasksInOrderAndRefusesBeyondItsCapacity() {
        VirtualScheduler scheduler = new VirtualScheduler();
        SerialQueue q = new SerialQueue("test", scheduler, 40);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            assertThat(q.offer(() -> ran.add(n))).isTrue();
        }
        assertThat(q.offer(() -> ran.add(99))).as("full").isFalse();

        scheduler.runDue();

        assertThat(ran).hasSize(40).isSorted();
        assertThat(q.size()).isZero();
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() {
        VirtualScheduler scheduler = new VirtualScheduler();
        SerialQueue q = new SerialQueue("test", scheduler, 10);
        List<String> ran = new ArrayList<>();
        q.offer(() -> ran.add("a"));
        q.offer(() -> {
            throw new IllegalStateException("boom");
        });
        q.offer(() -> ran.add("c"));

        scheduler.runDue();

        assertThat(ran).containsExactly("a", "c");
    }

    @Test
    void clearDropsWaitingTasksAndARefusingSchedulerIsReported() {
        VirtualScheduler scheduler = new VirtualScheduler();
        SerialQueue q = new SerialQueue("test", scheduler, 10);
        List<String> ran = new ArrayList<>();
        q.offer(() -> ran.add("a"));
        q.clear();
        scheduler.runDue();
        assertThat(ran).isEmpty();

        scheduler.shutdown();
        assertThat(q.offer(() -> ran.add("b"))).isFalse();
        assertThat(q.size()).isZero();
    }
}
