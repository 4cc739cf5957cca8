package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.Permissions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection's side of the delivery: the permission check per event, its bounded buffer, falling behind, and the linger that batches its writes. */
class LiveConnectionTest {

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final Set<String> readable = new CopyOnWriteArraySet<>();
    private final Permissions permissions = new Permissions() {
        @Override
        public boolean allows(String thingNamespace, AccessLevel level) {
            return readable.contains(thingNamespace);
        }

        @Override
        public boolean readsEverything() {
            return false;
        }

        @Override
        public Set<String> readableNamespaces() {
            return Set.copyOf(readable);
        }
    };

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Records what it writes, in how many writes, and how often it was disconnected; does not close itself, to see what would follow. */
    private final class Recording extends LiveConnection {
        final List<Long> written = new CopyOnWriteArrayList<>();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger overflows = new AtomicInteger();
        volatile boolean full;

        Recording(int capacity) {
            super(context, capacity, 0, permissions);
        }

        Recording(int capacity, int lingerMillis) {
            super(context, capacity, lingerMillis, permissions);
        }

        @Override
        boolean accepts(LiveEvent event) {
            return true;
        }

        @Override
        LiveFilter filter() {
            return LiveFilter.ALL;
        }

        @Override
        void write(List<LiveEvent> batch) {
            writes.incrementAndGet();
            batch.forEach(e -> written.add(e.seq()));
        }

        @Override
        boolean writeQueueFull() {
            return full;
        }

        @Override
        void whenWritable(Runnable then) {
            // the test drains by hand
        }

        @Override
        void overflow() {
            overflows.incrementAndGet();
        }
    }

    private static LiveEvent event(long seq, String namespace) {
        return new LiveEvent(seq, new TwinEvent(TwinEvent.Type.MERGED, ThingId.of(namespace, "x"), seq, 0, JsonPointer.of("/attributes/n"),
                Json.parse("1"), List.of(), null));
    }

    /** Waits until everything the context was asked to do before has run. */
    private void settle() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> done.complete(null));
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theReadPermissionIsCheckedForEachEvent() throws Exception {
        Recording c = new Recording(10);
        c.onEvent(event(1, "org.a"));
        readable.add("org.a");
        c.onEvent(event(2, "org.a"));
        c.onEvent(event(3, "org.b"));
        readable.remove("org.a");
        c.onEvent(event(4, "org.a"));
        settle();
        Awaitility.await().untilAsserted(() -> assertThat(c.written).containsExactly(2L));
    }

    @Test
    void aClientWhoseBufferIsFullIsDisconnectedOnceAndGetsNoEventAfterTheOneItMissed() throws Exception {
        readable.add("org.a");
        Recording c = new Recording(2);
        c.full = true;
        c.onEvent(event(1, "org.a"));
        c.onEvent(event(2, "org.a"));
        // no room: missed
        c.onEvent(event(3, "org.a"));
        // room again, but the stream must not go on after a hole
        c.full = false;
        c.onEvent(event(4, "org.a"));
        c.fellBehind();
        settle();
        Awaitility.await().untilAsserted(() -> assertThat(c.overflows).hasValue(1));
        assertThat(c.wants(event(5, "org.a"))).isFalse();
        assertThat(c.written).doesNotContain(3L, 4L);
    }

    @Test
    void aClientWhoseLaneFellBehindIsDisconnectedOnce() throws Exception {
        readable.add("org.a");
        Recording c = new Recording(10);
        c.onEvent(event(1, "org.a"));
        c.fellBehind();
        c.fellBehind();
        c.onEvent(event(3, "org.a"));
        settle();
        Awaitility.await().untilAsserted(() -> assertThat(c.overflows).hasValue(1));
        assertThat(c.written).containsExactly(1L);
    }

    /** Sends one event and waits until the context has run what it was asked to before (an immediate drain included). */
    private void send(LiveConnection c, long seq) throws Exception {
        c.onEvent(event(seq, "org.a"));
        settle();
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void eventsArrivingWithinTheLingerAfterAWriteAreWrittenTogetherInOrder() throws Exception {
        readable.add("org.a");
        Recording c = new Recording(100, 500);
        send(c, 1);
        assertThat(c.written).containsExactly(1L);
        // each event reaches the context on its own: without a linger each would be a write of its own
        for (long seq = 2; seq <= 20; seq++) {
            send(c, seq);
        }
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(c.written).containsExactlyElementsOf(seqs(1, 20)));
        assertThat(c.writes).hasValue(2);
    }

    @Test
    void anEventAfterAQuietTimeIsWrittenWithoutWaitingForTheLinger() throws Exception {
        readable.add("org.a");
        Recording c = new Recording(100, 60_000);
        c.onEvent(event(1, "org.a"));
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(c.written).containsExactly(1L));
    }

    @Test
    void aLingerEndsWhenItsTimerFindsNothingToWrite() throws Exception {
        readable.add("org.a");
        Recording c = new Recording(100, 50);
        send(c, 1);
        // quiet for longer than the linger: its timer finds nothing, and the next event is drained at once
        assertThat(c.drainPending()).as("lingering after the write").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !c.drainPending());
        send(c, 2);
        assertThat(c.written).containsExactly(1L, 2L);
        assertThat(c.writes).hasValue(2);
    }

    @Test
    void withoutALingerEveryEventIsDrainedAtOnce() throws Exception {
        readable.add("org.a");
        Recording c = new Recording(100, 0);
        for (long seq = 1; seq <= 10; seq++) {
            send(c, seq);
            assertThat(c.written).containsExactlyElementsOf(seqs(1, seq));
        }
        assertThat(c.writes).hasValue(10);
    }

    @Test
    void aConnectionClosedWhileItLingersWritesNothingMore() throws Exception {
        readable.add("org.a");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        context.exceptionHandler(failures::add);
        Recording c = new Recording(100, 300);
        send(c, 1);
        send(c, 2);
        send(c, 3);
        c.close();
        // well past the linger: the timer (if it still fired) found the connection closed
        Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> c.written.equals(List.of(1L)) && c.writes.get() == 1);
        settle();
        assertThat(failures).isEmpty();
        c.onEvent(event(4, "org.a"));
        settle();
        assertThat(c.written).containsExactly(1L);
    }

    @Test
    void aNegativeLingerIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new Recording(100, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("live.client.linger.ms").hasMessageContaining("-1");
        assertThatThrownBy(() -> new LiveRoutes(null, null, null, null, null, writes(-5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("live.client.linger.ms").hasMessageContaining("-5");
    }

    /** The live writes' settings as the configuration admin would hand them over. */
    private static LiveWriteConfig writes(int lingerMillis) {
        return new LiveWriteConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LiveWriteConfig.class;
            }

            @Override
            public int live_client_linger_ms() {
                return lingerMillis;
            }
        };
    }
}
