package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveEventLogTest {

    private static final long FIRST = 1_000;
    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final LiveEventLog log = new LiveEventLog(registry, 3, FIRST);
    private final ThingId id = ThingId.of("a:b");

    @AfterEach
    void close() {
        log.close();
        registry.close();
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

    private LiveEventLog.Resume resume(long after, List<LiveEvent> live) {
        AtomicReference<LiveEventLog.Resume> result = new AtomicReference<>();
        log.resume(after, live::add, result::set);
        return result.get();
    }

    @Test
    void numbersEventsFromTheFirstSequenceNumberAndReplaysWhatTheRingHolds() {
        events(3);
        List<LiveEvent> live = new CopyOnWriteArrayList<>();
        LiveEventLog.Resume r = resume(FIRST, live);
        assertThat(r.gap()).isFalse();
        assertThat(r.replay()).extracting(LiveEvent::seq).containsExactly(FIRST + 1, FIRST + 2);
        events(1);
        assertThat(live).extracting(LiveEvent::seq).containsExactly(FIRST + 3);
    }

    @Test
    void theLastIssuedIdReplaysNothingAndIsNoGap() {
        events(2);
        LiveEventLog.Resume r = resume(FIRST + 1, new CopyOnWriteArrayList<>());
        assertThat(r.gap()).isFalse();
        assertThat(r.replay()).isEmpty();
    }

    @Test
    void idsOlderThanTheRingOrNeverIssuedAreGaps() {
        events(5);
        // the ring holds FIRST+2..FIRST+4: resuming after FIRST+1 is complete, after FIRST is not
        assertThat(resume(FIRST + 1, new CopyOnWriteArrayList<>()).replay()).extracting(LiveEvent::seq)
                .containsExactly(FIRST + 2, FIRST + 3, FIRST + 4);
        assertThat(resume(FIRST, new CopyOnWriteArrayList<>()).gap()).isTrue();
        assertThat(resume(FIRST - 50, new CopyOnWriteArrayList<>()).gap()).isTrue();
        assertThat(resume(FIRST + 99, new CopyOnWriteArrayList<>()).gap()).isTrue();
        assertThat(log.listeners()).isEqualTo(4);
    }

    @Test
    void beforeAnyEventOnlyTheIdJustBeforeTheFirstIsKnown() {
        assertThat(resume(FIRST - 1, new CopyOnWriteArrayList<>()).gap()).isFalse();
        assertThat(resume(FIRST - 2, new CopyOnWriteArrayList<>()).gap()).isTrue();
    }
}
