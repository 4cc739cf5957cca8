package io.rosetta.benchmarks;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.TwinEvent;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merge patches (in memory, so only the event path differs) with 0 (baseline), 1 and 10
 * subscribers that each consume every event. {@code delivered} / {@code dropped} after the run
 * tell whether the subscribers kept up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class EventFanOutBenchmark {

    @Param({"0", "1", "10"})
    public int subscribers;

    private TwinRegistryImpl registry;
    private ThingId[] ids;
    private final LongAdder delivered = new LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
        registry = TwinRegistryImpl.inMemory();
        registry.setValidators(java.util.List.of(ShippedModels.validator()));
        ids = new ThingId[RegistryMergeBenchmark.TWINS];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = registry.create(Fixtures.twin(i)).thingId();
        }
        for (int s = 0; s < subscribers; s++) {
            registry.subscribe(new Flow.Subscriber<TwinEvent>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    this.subscription = subscription;
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(TwinEvent item) {
                    if (item.revision() > 0) {
                        delivered.increment();
                    }
                }

                @Override
                public void onError(Throwable throwable) {
                }

                @Override
                public void onComplete() {
                }
            });
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n[fan-out] subscribers=%d published=%d delivered=%d dropped=%d%n", subscribers,
                registry.stats().eventsPublished(), delivered.sum(), registry.stats().eventsDropped());
        registry.close();
    }

    @Benchmark
    public Object merge() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return registry.report(ids[r.nextInt(ids.length)], RegistryMergeBenchmark.PATH,
                JsonObject.of("value", JsonValue.of(15 + r.nextInt(200) / 10.0)), System.currentTimeMillis());
    }
}
