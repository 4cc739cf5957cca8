package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveEventLogTest {

    private static final long FIRST = 1_000;
    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final List<LiveEventLog> logs = new ArrayList<>();
    private final List<CountDownLatch> releases = new ArrayList<>();
    private final ThingId id = ThingId.of("a:b");
    private LiveEventLog log = log(3, 2, 100);

    /** A log whose lanes' threads deliver every event (the writing thread never does: tests that hold a lane). */
    private LiveEventLog log(int ring, int lanes, int laneQueue) {
        return log(ring, lanes, laneQueue, 0);
    }

    private LiveEventLog log(int ring, int lanes, int laneQueue, int inlineListeners) {
        LiveEventLog l = new LiveEventLog(registry, ring, FIRST, lanes, laneQueue, inlineListeners);
        logs.add(l);
        return l;
    }

    @AfterEach
    void close() {
        releases.forEach(CountDownLatch::countDown);
        logs.forEach(LiveEventLog::close);
        registry.close();
    }

    /** Records what it receives. */
    private static class Recorder implements LiveEventLog.Listener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final AtomicInteger fellBehind = new AtomicInteger();

        @Override
        public void onEvent(LiveEvent event) {
            seqs.add(event.seq());
            threads.add(Thread.currentThread());
        }

        @Override
        public void fellBehind() {
            fellBehind.incrementAndGet();
        }
    }

    /** Holds its lane on the first event it receives until released. */
    private final class Blocker extends Recorder {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Blocker() {
            releases.add(release);
        }

        @Override
        public void onEvent(LiveEvent event) {
            super.onEvent(event);
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Makes {@code n} events and waits until the log has numbered them. */
    private void events(int n) {
        long target = log.nextSeq() + n;
        for (int i = 0; i < n; i++) {
            if (registry.retrieve(id).isEmpty()) {
                registry.create(Thing.fromJson(Json.parseObject("{\"thingId\":\"a:b\"}"), null));
            } else {
                registry.modify(id, JsonPointer.of("/attributes/n"), Json.parse(String.valueOf(i)), Precondition.none());
            }
        }
        Awaitility.await().until(() -> log.nextSeq() == target);
    }

    private LiveEventLog.Resume resume(long after, LiveEventLog.Listener live) {
        AtomicReference<LiveEventLog.Resume> result = new AtomicReference<>();
        log.resume(after, live, result::set);
        return result.get();
    }

    private static List<Long> range(long fromInclusive, long toExclusive) {
        return LongStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    @Test
    void numbersEventsFromTheFirstSequenceNumberAndReplaysWhatTheRingHolds() {
        events(3);
        Recorder live = new Recorder();
        LiveEventLog.Resume r = resume(FIRST, live);
        assertThat(r.gap()).isFalse();
        assertThat(r.replay()).extracting(LiveEvent::seq).containsExactly(FIRST + 1, FIRST + 2);
        events(1);
        Awaitility.await().untilAsserted(() -> assertThat(live.seqs).containsExactly(FIRST + 3));
    }

    @Test
    void theLastIssuedIdReplaysNothingAndIsNoGap() {
        events(2);
        LiveEventLog.Resume r = resume(FIRST + 1, new Recorder());
        assertThat(r.gap()).isFalse();
        assertThat(r.replay()).isEmpty();
    }

    @Test
    void idsOlderThanTheRingOrNeverIssuedAreGaps() {
        events(5);
        // the ring holds FIRST+2..FIRST+4: resuming after FIRST+1 is complete, after FIRST is not
        assertThat(resume(FIRST + 1, new Recorder()).replay()).extracting(LiveEvent::seq)
                .containsExactly(FIRST + 2, FIRST + 3, FIRST + 4);
        assertThat(resume(FIRST, new Recorder()).gap()).isTrue();
        assertThat(resume(FIRST - 50, new Recorder()).gap()).isTrue();
        assertThat(resume(FIRST + 99, new Recorder()).gap()).isTrue();
        assertThat(log.listeners()).isEqualTo(4);
    }

    @Test
    void beforeAnyEventOnlyTheIdJustBeforeTheFirstIsKnown() {
        assertThat(resume(FIRST - 1, new Recorder()).gap()).isFalse();
        assertThat(resume(FIRST - 2, new Recorder()).gap()).isTrue();
    }

    @Test
    void everyListenerGetsEveryEventOnceAndInOrderWhicheverLaneItIsOn() {
        log = log(10, 4, 1000);
        assertThat(log.laneThreads()).hasSize(4);
        List<Recorder> listeners = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Recorder r = new Recorder();
            listeners.add(r);
            log.listen(r);
        }
        events(300);
        for (Recorder r : listeners) {
            Awaitility.await().untilAsserted(() -> assertThat(r.seqs).hasSize(300));
            assertThat(r.seqs).isEqualTo(range(FIRST, FIRST + 300));
        }
    }

    @Test
    void aResumeWhileEventsWaitInTheLaneGetsEachEventOnceReplayedOrLive() throws Exception {
        // one lane, held by a listener: the events after the first wait in the lane's queue
        log = log(100, 1, 100);
        Blocker blocker = new Blocker();
        log.listen(blocker);
        events(1);
        assertThat(blocker.entered.await(10, TimeUnit.SECONDS)).isTrue();
        events(4);
        // FIRST+1..FIRST+4 are numbered and in the ring, and still wait in the lane
        Recorder resumed = new Recorder();
        LiveEventLog.Resume r = resume(FIRST + 1, resumed);
        Recorder fresh = new Recorder();
        log.listen(fresh);
        events(2);
        blocker.release.countDown();
        Awaitility.await().untilAsserted(() -> assertThat(blocker.seqs).hasSize(7));
        Awaitility.await().untilAsserted(() -> assertThat(resumed.seqs).hasSize(2));

        List<Long> all = new ArrayList<>();
        r.replay().forEach(e -> all.add(e.seq()));
        all.addAll(resumed.seqs);
        assertThat(all).isEqualTo(range(FIRST + 2, FIRST + 7));
        assertThat(fresh.seqs).isEqualTo(range(FIRST + 5, FIRST + 7));
        assertThat(blocker.seqs).isEqualTo(range(FIRST, FIRST + 7));
    }

    @Test
    void aLaneOfFewListenersWithNothingWaitingIsServedByTheWritingThread() {
        log = log(100, 1, 100, 2);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        log.listen(a);
        log.listen(b);
        events(3);
        // delivered before the writes returned, on the writer's thread
        assertThat(a.seqs).isEqualTo(range(FIRST, FIRST + 3));
        assertThat(b.seqs).isEqualTo(range(FIRST, FIRST + 3));
        assertThat(a.threads).containsOnly(Thread.currentThread());

        // one listener more than the lane serves inline: its thread delivers
        Recorder c = new Recorder();
        log.listen(c);
        events(2);
        Awaitility.await().untilAsserted(() -> assertThat(c.seqs).isEqualTo(range(FIRST + 3, FIRST + 5)));
        assertThat(c.threads).containsOnly(log.laneThreads().get(0));
        assertThat(a.seqs).isEqualTo(range(FIRST, FIRST + 5));
    }

    @Test
    void anEventThatFindsEarlierOnesWaitingQueuesBehindThemEvenForFewListeners() throws Exception {
        log = log(100, 1, 100, 1);
        Blocker blocker = new Blocker();
        Recorder other = new Recorder();
        log.listen(blocker);
        log.listen(other);
        events(1); // two listeners: the lane's thread delivers, and the blocker holds it
        assertThat(blocker.entered.await(10, TimeUnit.SECONDS)).isTrue();
        log.remove(other);
        events(3); // one listener now, but an event is still being delivered: these wait in the lane
        assertThat(blocker.seqs).containsExactly(FIRST);
        blocker.release.countDown();
        Awaitility.await().untilAsserted(() -> assertThat(blocker.seqs).isEqualTo(range(FIRST, FIRST + 4)));
        Awaitility.await().until(() -> log.waiting() == 0);

        Recorder inline = new Recorder();
        log.remove(blocker);
        log.listen(inline);
        events(1);
        assertThat(inline.seqs).containsExactly(FIRST + 4);
        assertThat(inline.threads).containsOnly(Thread.currentThread());
        assertThat(blocker.threads).containsOnly(log.laneThreads().get(0));
    }

    @Test
    void aFullLaneNeverHoldsTheRegistryUpAndTellsEachOfItsListenersOnce() throws Exception {
        log = log(100, 1, 2);
        Blocker blocker = new Blocker();
        Recorder other = new Recorder();
        log.listen(blocker);
        log.listen(other);
        events(1);
        assertThat(blocker.entered.await(10, TimeUnit.SECONDS)).isTrue();
        // two events fit in the lane's queue, the third does not; the log numbers all of them and more
        events(10);
        assertThat(log.laneOverflows()).isEqualTo(1);
        assertThat(blocker.fellBehind).hasValue(1);
        assertThat(other.fellBehind).hasValue(1);
        assertThat(log.listeners()).isZero();

        blocker.release.countDown();
        // the lane works off what it still holds (for nobody now), then takes new listeners' events again
        Awaitility.await().until(() -> log.waiting() == 0);
        Recorder later = new Recorder();
        log.listen(later);
        events(1);
        Awaitility.await().untilAsserted(() -> assertThat(later.seqs).containsExactly(FIRST + 11));
        // the ones that fell behind got nothing after the event being delivered when the lane overflowed
        assertThat(blocker.seqs).containsExactly(FIRST);
        assertThat(other.seqs).containsExactly(FIRST);
        assertThat(log.laneOverflows()).isEqualTo(1);
    }

    @Test
    void aFailingListenerOrFilterDoesNotKeepTheOthersFromTheirEvents() {
        log = log(10, 1, 100);
        log.listen(new Recorder() {
            @Override
            public boolean wants(LiveEvent event) {
                throw new IllegalStateException("filter broken");
            }
        });
        log.listen(new Recorder() {
            @Override
            public void onEvent(LiveEvent event) {
                throw new IllegalStateException("listener broken");
            }
        });
        Recorder good = new Recorder();
        log.listen(good);
        events(5);
        Awaitility.await().untilAsserted(() -> assertThat(good.seqs).isEqualTo(range(FIRST, FIRST + 5)));
    }

    @Test
    void onlyTheEventsAListenerWantsReachIt() {
        log = log(10, 2, 100);
        Recorder even = new Recorder() {
            @Override
            public boolean wants(LiveEvent event) {
                return event.seq() % 2 == 0;
            }
        };
        log.listen(even);
        events(6);
        Awaitility.await().untilAsserted(() -> assertThat(even.seqs).containsExactly(FIRST, FIRST + 2, FIRST + 4));
    }

    @Test
    void filtersThatAskTheFilterIndexAreAskedOneLaneAtATime() {
        log = log(10, 4, 1000);
        AtomicInteger asking = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Recorder> listeners = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Recorder r = new Recorder() {
                @Override
                public boolean usesFilterIndex() {
                    return true;
                }

                @Override
                public boolean wants(LiveEvent event) {
                    mostAtOnce.accumulateAndGet(asking.incrementAndGet(), Math::max);
                    // a little work, so that lanes would overlap here if they could
                    long x = 0;
                    for (int k = 0; k < 500; k++) {
                        x += Long.hashCode(event.seq() * k);
                    }
                    asking.decrementAndGet();
                    return x != 1;
                }
            };
            listeners.add(r);
            log.listen(r);
        }
        events(300);
        for (Recorder r : listeners) {
            Awaitility.await().untilAsserted(() -> assertThat(r.seqs).isEqualTo(range(FIRST, FIRST + 300)));
        }
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void aRemovedListenerGetsNoMoreEvents() {
        log = log(10, 2, 100);
        Recorder r = new Recorder();
        Recorder witness = new Recorder();
        log.listen(r);
        log.listen(witness);
        events(2);
        Awaitility.await().untilAsserted(() -> assertThat(r.seqs).hasSize(2));
        log.remove(r);
        assertThat(log.listeners()).isEqualTo(1);
        events(2);
        Awaitility.await().untilAsserted(() -> assertThat(witness.seqs).hasSize(4));
        assertThat(r.seqs).containsExactly(FIRST, FIRST + 1);
    }

    @Test
    void closeStopsTheDeliveryThreads() {
        log = log(10, 3, 100);
        Recorder r = new Recorder();
        log.listen(r);
        events(1);
        Awaitility.await().untilAsserted(() -> assertThat(r.seqs).hasSize(1));
        List<Thread> threads = log.laneThreads();
        assertThat(threads).hasSize(3).allMatch(Thread::isAlive);
        log.close();
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(log.listeners()).isZero();
        // a log closed while a listener holds its lane stops too
        LiveEventLog held = log(10, 1, 100);
        Blocker blocker = new Blocker();
        held.listen(blocker);
        log = held;
        events(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> blocker.entered.getCount() == 0);
        held.close();
        assertThat(held.laneThreads()).noneMatch(Thread::isAlive);
    }

    @Test
    void zeroIsOneLanePerProcessorAndBadSettingsAreRefused() {
        assertThat(log(10, 0, 100).laneThreads()).hasSize(Math.max(1, Runtime.getRuntime().availableProcessors()));
        assertThatThrownBy(() -> new LiveEventLog(registry, 10, FIRST, -1, 100, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("live.delivery.threads");
        assertThatThrownBy(() -> new LiveEventLog(registry, 10, FIRST, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("live.delivery.queue");
    }
}
