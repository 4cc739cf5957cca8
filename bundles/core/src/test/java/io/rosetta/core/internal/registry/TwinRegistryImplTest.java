package io.rosetta.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ModelViolationException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TwinRegistryImplTest {

    private static final ThingId ID = ThingId.of("org.example:sensor-1");

    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();

    @AfterEach
    void close() {
        registry.close();
    }

    static Thing sensor(ThingId id) {
        return Thing.fromJson(Json.parseObject("{\"definition\":\"rosetta:temperature-humidity-sensor:1.0.0\","
                + "\"attributes\":{\"vendor\":\"acme\"},"
                + "\"features\":{\"temperature\":{\"properties\":{\"value\":21.5}},\"humidity\":{\"properties\":{\"value\":40}}}}"), id);
    }

    @Test
    void createAssignsRevisionOneAndRefusesDuplicates() {
        Thing created = registry.create(sensor(ID));
        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.createdMillis()).isPositive();
        assertThat(registry.retrieve(ID)).contains(created);
        assertThatThrownBy(() -> registry.create(sensor(ID))).isInstanceOf(TwinException.class)
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(409));
    }

    @Test
    void mergePatchAtAnyPointerBumpsTheRevision() {
        registry.create(sensor(ID));
        Thing t = registry.merge(ID, JsonPointer.of("/features/temperature/properties"), Json.parse("{\"value\":22,\"unit\":\"Cel\"}"),
                Precondition.none());
        assertThat(t.revision()).isEqualTo(2);
        assertThat(t.feature("temperature").get().properties().toString()).isEqualTo("{\"value\":22,\"unit\":\"Cel\"}");
        t = registry.merge(ID, JsonPointer.empty(), Json.parse("{\"attributes\":{\"vendor\":null,\"room\":\"b\"}}"), Precondition.none());
        assertThat(t.attributes().get().toString()).isEqualTo("{\"room\":\"b\"}");
        t = registry.merge(ID, JsonPointer.of("/attributes/room"), JsonValue.of("c"), Precondition.none());
        assertThat(t.attributes().get().toString()).isEqualTo("{\"room\":\"c\"}");
        assertThat(t.revision()).isEqualTo(4);
    }

    @Test
    void modifyCreatesOrReplacesAndDeleteRemoves() {
        registry.create(sensor(ID));
        var r = registry.modify(ID, JsonPointer.of("/attributes/location/room"), JsonValue.of("kitchen"), Precondition.none());
        assertThat(r.created()).isTrue();
        assertThat(r.thing().attributes().get().toString()).isEqualTo("{\"vendor\":\"acme\",\"location\":{\"room\":\"kitchen\"}}");
        r = registry.modify(ID, JsonPointer.of("/attributes/vendor"), JsonValue.of("other"), Precondition.none());
        assertThat(r.created()).isFalse();
        registry.delete(ID, JsonPointer.of("/attributes/location"), Precondition.none());
        assertThat(registry.retrieve(ID).get().attributes().get().toString()).isEqualTo("{\"vendor\":\"other\"}");
        assertThatThrownBy(() -> registry.delete(ID, JsonPointer.of("/attributes/none"), Precondition.none()))
                .satisfies(e -> assertThat(((TwinException) e).errorCode()).isEqualTo("things:attribute.notfound"));
        assertThatThrownBy(() -> registry.modify(ID, JsonPointer.of("/features/nope/properties/x"), JsonValue.of(1), Precondition.none()))
                .satisfies(e -> assertThat(((TwinException) e).errorCode()).isEqualTo("things:feature.notfound"));
        registry.delete(ID, JsonPointer.empty(), Precondition.none());
        assertThat(registry.retrieve(ID)).isEmpty();
    }

    @Test
    void refusedChangesLeaveTheTwinUntouched() {
        Thing before = registry.create(sensor(ID));
        assertThatThrownBy(() -> registry.merge(ID, JsonPointer.of("/features/temperature"), Json.parse("{\"properties\":5}"), Precondition.none()))
                .isInstanceOf(TwinException.class);
        assertThatThrownBy(() -> registry.modify(ID, JsonPointer.of("/thingId"), JsonValue.of("x:y"), Precondition.none()))
                .isInstanceOf(TwinException.class);
        assertThatThrownBy(() -> registry.modify(ID, JsonPointer.of("/attributes/vendor/x"), JsonValue.of(1), Precondition.none()))
                .isInstanceOf(TwinException.class);
        assertThatThrownBy(() -> registry.merge(ID, JsonPointer.of("/_revision"), JsonValue.of(1), Precondition.none()))
                .isInstanceOf(TwinException.class);
        assertThat(registry.retrieve(ID)).contains(before);
        assertThat(registry.stats().refused()).isEqualTo(4);
    }

    @Test
    void validatorsCanRefuseAChange() {
        registry.setValidators(List.of((candidate, previous) -> {
            double t = candidate.feature("temperature").flatMap(f -> f.properties().get("value"))
                    .map(v -> ((io.rosetta.core.json.JsonNumber) v).doubleValue()).orElse(0.0);
            if (t > 100) {
                throw new ModelViolationException("rosetta:temperature-humidity-sensor:1.0.0", List.of("value above 100"));
            }
        }));
        Thing before = registry.create(sensor(ID));
        assertThatThrownBy(() -> registry.report(ID, JsonPointer.of("/features/temperature/properties"), Json.parse("{\"value\":150}"), 1))
                .isInstanceOf(ModelViolationException.class).hasMessageContaining("value above 100");
        assertThat(registry.retrieve(ID)).contains(before);
        assertThat(registry.stats().modelViolations()).isEqualTo(1);
    }

    @Test
    void preconditionsFollowEntityTags() {
        registry.create(sensor(ID));
        assertThatThrownBy(() -> registry.merge(ID, JsonPointer.of("/attributes/a"), JsonValue.of(1), Precondition.revision(5)))
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(412));
        assertThat(registry.merge(ID, JsonPointer.of("/attributes/a"), JsonValue.of(1), Precondition.revision(1)).revision()).isEqualTo(2);
        assertThatThrownBy(() -> registry.put(sensor(ID), Precondition.absent()))
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(412));
        assertThat(registry.put(sensor(ThingId.of("a:new")), Precondition.absent()).created()).isTrue();
        assertThatThrownBy(() -> registry.put(sensor(ThingId.of("a:other")), Precondition.exists()))
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(412));
    }

    @Test
    void statusAndLifecycleChangeOnlyThroughTheRegistry() {
        registry.create(sensor(ID));
        Thing t = registry.updateConnectivity(ID, ConnectivityStatus.ONLINE);
        assertThat(t.revision()).isEqualTo(2);
        assertThat(registry.updateConnectivity(ID, ConnectivityStatus.ONLINE)).isSameAs(t);
        t = registry.updateLifecycle(ID, LifecycleState.SUSPENDED);
        assertThat(t.lifecycle()).isEqualTo(LifecycleState.SUSPENDED);
        assertThatThrownBy(() -> registry.report(ID, JsonPointer.of("/attributes"), Json.parse("{\"a\":1}"), 1))
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(403));
        registry.updateLifecycle(ID, LifecycleState.DECOMMISSIONED);
        assertThatThrownBy(() -> registry.updateLifecycle(ID, LifecycleState.ACTIVE))
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(409));
        assertThatThrownBy(() -> registry.merge(ID, JsonPointer.of("/attributes/a"), JsonValue.of(1), Precondition.none()))
                .satisfies(e -> assertThat(((TwinException) e).status()).isEqualTo(403));
    }

    @Test
    void concurrentWritersGetEveryRevisionExactlyOnce() throws Exception {
        registry.create(sensor(ID));
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            results.add(pool.submit(() -> {
                start.await();
                List<Long> revisions = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    revisions.add(registry.merge(ID, JsonPointer.of("/attributes"), Json.parse("{\"w" + n + "\":" + i + "}"),
                            Precondition.none()).revision());
                }
                return revisions;
            }));
        }
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        Collections.sort(all);
        assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(all.get(0)).isEqualTo(2);
        assertThat(all.get(all.size() - 1)).isEqualTo(1 + threads * perThread);
        JsonObject attributes = registry.retrieve(ID).get().attributes().get();
        for (int t = 0; t < threads; t++) {
            assertThat(attributes.getOrNull("w" + t)).isEqualTo(JsonValue.of(perThread - 1));
        }
    }

    @Test
    void subscribersReceiveEventsInRevisionOrderAtTheirOwnPace() {
        List<TwinEvent> fast = Collections.synchronizedList(new ArrayList<>());
        List<TwinEvent> slow = Collections.synchronizedList(new ArrayList<>());
        registry.subscribe(collector(fast, Long.MAX_VALUE));
        Flow.Subscription[] slowSub = new Flow.Subscription[1];
        registry.subscribe(new Flow.Subscriber<TwinEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                slowSub[0] = s;
                s.request(1);
            }

            @Override
            public void onNext(TwinEvent item) {
                slow.add(item);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        await().until(() -> registry.stats().subscribers() == 2);
        registry.create(sensor(ID));
        for (int i = 0; i < 50; i++) {
            registry.merge(ID, JsonPointer.of("/features/temperature/properties/value"), JsonValue.of(i), Precondition.none());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fast.size() == 51);
        assertThat(fast.get(0).type()).isEqualTo(TwinEvent.Type.CREATED);
        assertThat(fast.get(50).changedPaths()).containsExactly(JsonPointer.of("/features/temperature/properties/value"));
        for (int i = 0; i < fast.size(); i++) {
            assertThat(fast.get(i).revision()).isEqualTo(i + 1);
        }
        assertThat(slow).hasSize(1);
        slowSub[0].request(100);
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.size() == 51);
        assertThat(registry.stats().eventsDropped()).isZero();
    }

    @Test
    void listenersHearEveryEventOnTheWritingThreadInRevisionOrder() throws Exception {
        List<TwinEvent> heard = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        TwinListener listener = e -> {
            heard.add(e);
            threads.add(Thread.currentThread());
        };
        registry.listen(listener);
        registry.listen(listener); // a second time: still heard once
        assertThat(registry.stats().subscribers()).isEqualTo(1);

        registry.create(sensor(ID));
        Thing merged = registry.merge(ID, JsonPointer.of("/features/temperature/properties/value"), JsonValue.of(3), Precondition.none());
        // heard before the write returned, on this thread: no waiting
        assertThat(heard).hasSize(2);
        assertThat(heard.get(1).thing()).isEqualTo(merged);
        assertThat(threads).containsOnly(Thread.currentThread());

        // concurrent writers of one thing: each thing's events in revision order, none lost
        heard.clear();
        int writers = 4;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int n = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        registry.merge(ID, JsonPointer.of("/attributes/w" + n), JsonValue.of(i), Precondition.none());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(heard).hasSize(writers * each);
        for (int i = 0; i < heard.size(); i++) {
            assertThat(heard.get(i).revision()).isEqualTo(merged.revision() + 1 + i);
        }

        registry.unlisten(listener);
        registry.merge(ID, JsonPointer.of("/attributes/after"), JsonValue.of(true), Precondition.none());
        assertThat(heard).hasSize(writers * each);
        assertThat(registry.stats().subscribers()).isZero();
        assertThat(registry.stats().eventsDropped()).isZero();
    }

    @Test
    void aFailingListenerNeitherFailsTheWriteNorKeepsOthersFromHearing() {
        List<TwinEvent> heard = new ArrayList<>();
        registry.listen(e -> {
            throw new IllegalStateException("listener bug");
        });
        registry.listen(heard::add);

        Thing created = registry.create(sensor(ID));

        assertThat(registry.retrieve(ID)).contains(created);
        assertThat(heard).hasSize(1);
        assertThat(registry.stats().eventsDropped()).isEqualTo(1);
    }

    @Test
    void aReportThatMeetsTheDesiredValueSettlesItAsAChangeOfItsOwn() {
        List<TwinEvent> events = Collections.synchronizedList(new ArrayList<>());
        registry.subscribe(collector(events, Long.MAX_VALUE));
        await().until(() -> registry.stats().subscribers() == 1);
        registry.create(sensor(ID));
        registry.merge(ID, JsonPointer.of("/features/temperature/desiredProperties"),
                Json.parse("{\"value\":25,\"mode\":\"eco\"}"), Precondition.none());
        registry.merge(ID, JsonPointer.of("/features/humidity/desiredProperties"), Json.parse("{\"value\":45}"), Precondition.none());

        Thing notYet = registry.report(ID, JsonPointer.of("/features/temperature/properties"), Json.parse("{\"value\":24}"), 10);
        assertThat(notYet.revision()).isEqualTo(4);
        assertThat(notYet.feature("temperature").get().desiredProperties()).isEqualTo(Json.parse("{\"value\":25,\"mode\":\"eco\"}"));

        Thing met = registry.report(ID, JsonPointer.of("/features"),
                Json.parse("{\"temperature\":{\"properties\":{\"value\":25}},\"humidity\":{\"properties\":{\"value\":45}}}"), 20);
        assertThat(met.revision()).isEqualTo(6);
        assertThat(met.feature("temperature").get().desiredProperties()).isEqualTo(Json.parse("{\"mode\":\"eco\"}"));
        assertThat(met.feature("humidity").get().desiredProperties()).isNull();
        assertThat(registry.retrieve(ID)).contains(met);

        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 6);
        TwinEvent settled = events.get(5);
        assertThat(settled.revision()).isEqualTo(6);
        assertThat(settled.path()).isEqualTo(JsonPointer.of("/features"));
        assertThat(settled.changedPaths()).containsExactlyInAnyOrder(
                JsonPointer.of("/features/temperature/desiredProperties/value"), JsonPointer.of("/features/humidity/desiredProperties"));
    }

    @Test
    void aSubscriberThatStaysFullLosesEventsButNeverBlocksWritersForever() {
        TwinRegistryImpl small = new TwinRegistryImpl(null, Long.MAX_VALUE, 4, 1, java.time.Clock.systemUTC());
        try {
            List<TwinEvent> got = Collections.synchronizedList(new ArrayList<>());
            small.subscribe(collector(got, 0));
            await().until(() -> small.stats().subscribers() == 1);
            small.create(sensor(ID));
            for (int i = 0; i < 100; i++) {
                small.merge(ID, JsonPointer.of("/attributes/n"), JsonValue.of(i), Precondition.none());
            }
            assertThat(small.retrieve(ID).get().revision()).isEqualTo(101);
            assertThat(small.stats().eventsDropped()).isPositive();
        } finally {
            small.close();
        }
    }

    static Flow.Subscriber<TwinEvent> collector(List<TwinEvent> sink, long demand) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                if (demand > 0) {
                    s.request(demand);
                }
            }

            @Override
            public void onNext(TwinEvent item) {
                sink.add(item);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        };
    }
}
