package io.rosetta.api.internal.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.security.AccessLevel;
import io.rosetta.security.Permissions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection's side of the delivery: the permission check per event, its bounded buffer and falling behind. */
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

    /** Records what it writes and how often it was disconnected; does not close itself, to see what would follow. */
    private final class Recording extends LiveConnection {
        final List<Long> written = new CopyOnWriteArrayList<>();
        final AtomicInteger overflows = new AtomicInteger();
        volatile boolean full;

        Recording(int capacity) {
            super(context, capacity, permissions);
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
}
