package io.rosetta.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.RegistryStats;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinListener;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.core.registry.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IndexFeederTest {

    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService writers = Executors.newFixedThreadPool(4);

    @AfterEach
    void close() {
        writers.shutdownNow();
        scheduler.shutdownNow();
        registry.close();
    }

    @Test
    void loadsWhatExistsThenFollowsConcurrentWritesWhileAnsweringQueries() throws Exception {
        for (int i = 0; i < 500; i++) {
            registry.create(thing(i));
        }
        ThingSearch search = new ThingSearch(registry, scheduler, 16, 100);
        assertThat(search.index().size()).isEqualTo(500);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int seed = w;
            tasks.add(writers.submit(() -> write(registry, new Random(seed), 3000)));
        }
        Future<?> reader = writers.submit(() -> {
            Filter f = RqlParser.parseFilter("and(gt(attributes/n,10),exists(features/lamp))");
            long answers = 0;
            while (writing.get()) {
                search.count(f);
                search.search(f, SearchOptions.defaults(), null);
                answers++;
            }
            return answers;
        });
        for (Future<?> t : tasks) {
            t.get();
        }
        writing.set(false);
        assertThat((Long) reader.get()).isPositive();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertSameAsRegistry(search.index(), registry));
        Filter f = RqlParser.parseFilter("and(gt(attributes/n,10),exists(features/lamp))");
        assertThat(search.count(f)).isEqualTo(registry.things().stream().filter(f::matches).count());
        assertThat(search.feeder().applied()).isPositive();
        search.close();
    }

    @Test
    void detectsDroppedEventsAndRereadsTheTwins() throws Exception {
        DroppingRegistry dropping = new DroppingRegistry(registry, 5);
        ThingSearch search = new ThingSearch(dropping, scheduler, 16, 100);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int seed = 10 + w;
            tasks.add(writers.submit(() -> write(dropping, new Random(seed), 2000)));
        }
        for (Future<?> t : tasks) {
            t.get();
        }
        assertThat(dropping.dropped.get()).isPositive();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertSameAsRegistry(search.index(), registry));
        // a skipped revision was noticed on the next event, a trailing lost event by the reconciliation
        assertThat(search.feeder().gaps()).isPositive();
        assertThat(search.feeder().reread()).isPositive();
        search.close();
    }

    @Test
    void anEventTheIndexCannotFollowIsRepairedByTheNextOrByReconciliation() {
        SearchIndex index = new SearchIndex(4);
        IndexFeeder feeder = new IndexFeeder(registry, index, scheduler);
        Thing created = registry.create(thing(1));
        feeder.apply(event(TwinEvent.Type.CREATED, created));
        Thing second = registry.merge(created.thingId(), JsonPointer.of("attributes"), JsonObject.newBuilder().set("n", 99).build(),
                Precondition.none());
        Thing third = registry.merge(created.thingId(), JsonPointer.of("attributes"), JsonObject.newBuilder().set("n", 100).build(),
                Precondition.none());
        // the event of revision 2 is lost: revision 3 is not a successor, the twin is re-read
        feeder.apply(event(TwinEvent.Type.MERGED, third));
        assertThat(feeder.gaps()).isEqualTo(1);
        assertThat(index.get(created.thingId()).revision()).isEqualTo(third.revision());
        // a late event of an older revision does not go back in time
        feeder.apply(event(TwinEvent.Type.MERGED, second));
        assertThat(index.get(created.thingId()).revision()).isEqualTo(third.revision());
        // a delete whose event is lost is found by reconciliation
        registry.delete(created.thingId(), JsonPointer.empty(), Precondition.none());
        assertThat(index.get(created.thingId())).isNotNull();
        feeder.reconcile();
        assertThat(index.get(created.thingId())).isNull();
        assertThat(feeder.reconciled()).isEqualTo(1);
    }

    @Test
    void aWriterNeverWaitsForAQueryTheEventIsAppliedWhenTheIndexIsFree() throws Exception {
        ThingSearch search = new ThingSearch(registry, scheduler, 16, 100);
        Thing created = registry.create(thing(1));
        assertThat(search.index().get(created.thingId())).isEqualTo(created);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> query = writers.submit(() -> search.index().exclusive(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        holding.await();

        // the index is held: the write returns at once, the event waits
        Thing changed = registry.merge(created.thingId(), JsonPointer.of("attributes"), JsonObject.newBuilder().set("n", 7).build(),
                Precondition.none());
        assertThat(search.feeder().pending()).isEqualTo(1);

        release.countDown();
        query.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> search.index().get(created.thingId()).revision() == changed.revision());
        assertThat(search.feeder().pending()).isZero();
        assertThat(search.feeder().gaps()).isZero();
        search.close();
    }

    private static TwinEvent event(TwinEvent.Type type, Thing t) {
        return new TwinEvent(type, t.thingId(), t.revision(), t.modifiedMillis(), JsonPointer.empty(), t.toJson(), List.of(), t);
    }

    static Thing thing(int i) {
        return Things.of("{\"thingId\":\"org.example:t-" + i + "\",\"attributes\":{\"n\":" + (i % 20) + "}}");
    }

    /** Creates, changes and deletes things 0..199 at random; refusals (a thing that exists or does not) are part of the game. */
    static Void write(TwinRegistry registry, Random r, int operations) {
        for (int op = 0; op < operations; op++) {
            int i = r.nextInt(200);
            ThingId id = ThingId.of("org.example", "t-" + i);
            try {
                switch (r.nextInt(6)) {
                    case 0 -> registry.create(thing(i));
                    case 1 -> registry.delete(id, JsonPointer.empty(), Precondition.none());
                    case 2 -> registry.merge(id, JsonPointer.of("features"),
                            JsonObject.of("lamp", JsonObject.of("properties", JsonObject.of("on", JsonValue.of(r.nextBoolean())))),
                            Precondition.none());
                    default -> registry.merge(id, JsonPointer.of("attributes"), JsonObject.of("n", JsonValue.of(r.nextInt(30))),
                            Precondition.none());
                }
            } catch (TwinException expected) {
                // 404 / 409 between concurrent writers
            }
        }
        return null;
    }

    static void assertSameAsRegistry(SearchIndex index, TwinRegistry registry) {
        assertThat(index.size()).isEqualTo(registry.size());
        for (Thing t : registry.things()) {
            Thing indexed = index.get(t.thingId());
            assertThat(indexed).as(t.thingId().toString()).isNotNull();
            assertThat(indexed.revision()).as(t.thingId().toString()).isEqualTo(t.revision());
            assertThat(indexed.createdMillis()).isEqualTo(t.createdMillis());
        }
    }

    /** A registry whose listeners miss every n-th event, counted like the registry counts the events a listener failed on. */
    static final class DroppingRegistry implements TwinRegistry {
        private final TwinRegistry delegate;
        private final int every;
        final AtomicLong dropped = new AtomicLong();
        private final Map<TwinListener, TwinListener> wrappers = new ConcurrentHashMap<>();

        DroppingRegistry(TwinRegistry delegate, int every) {
            this.delegate = delegate;
            this.every = every;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super TwinEvent> subscriber) {
            delegate.subscribe(subscriber);
        }

        @Override
        public void listen(TwinListener listener) {
            delegate.listen(wrappers.computeIfAbsent(listener, l -> new TwinListener() {
                private final AtomicLong n = new AtomicLong();

                @Override
                public void onEvent(TwinEvent event) {
                    if (n.incrementAndGet() % every == 0) {
                        dropped.incrementAndGet();
                    } else {
                        l.onEvent(event);
                    }
                }
            }));
        }

        @Override
        public void unlisten(TwinListener listener) {
            TwinListener w = wrappers.remove(listener);
            if (w != null) {
                delegate.unlisten(w);
            }
        }

        @Override
        public RegistryStats stats() {
            RegistryStats s = delegate.stats();
            return new RegistryStats(s.things(), s.writes(), s.refused(), s.modelViolations(), s.eventsPublished(),
                    s.eventsDropped() + dropped.get(), s.subscribers(), s.journalBytes(), s.recoveredRecords(), s.recoveryMillis());
        }

        @Override
        public Thing create(Thing thing) {
            return delegate.create(thing);
        }

        @Override
        public Optional<Thing> retrieve(ThingId id) {
            return delegate.retrieve(id);
        }

        @Override
        public Collection<Thing> things() {
            return delegate.things();
        }

        @Override
        public int size() {
            return delegate.size();
        }

        @Override
        public WriteResult put(Thing thing, Precondition precondition) {
            return delegate.put(thing, precondition);
        }

        @Override
        public WriteResult modify(ThingId id, JsonPointer path, JsonValue value, Precondition precondition) {
            return delegate.modify(id, path, value, precondition);
        }

        @Override
        public Thing merge(ThingId id, JsonPointer path, JsonValue patch, Precondition precondition) {
            return delegate.merge(id, path, patch, precondition);
        }

        @Override
        public Thing report(ThingId id, JsonPointer path, JsonValue patch, long seenAtMillis) {
            return delegate.report(id, path, patch, seenAtMillis);
        }

        @Override
        public void delete(ThingId id, JsonPointer path, Precondition precondition) {
            delegate.delete(id, path, precondition);
        }

        @Override
        public Thing updateConnectivity(ThingId id, ConnectivityStatus status) {
            return delegate.updateConnectivity(id, status);
        }

        @Override
        public Thing updateLifecycle(ThingId id, LifecycleState state) {
            return delegate.updateLifecycle(id, state);
        }
    }
}
