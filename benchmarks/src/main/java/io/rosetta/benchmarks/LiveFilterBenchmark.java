package io.rosetta.benchmarks;

import io.rosetta.core.json.Json;
import io.rosetta.core.model.Thing;
import io.rosetta.search.internal.Filter;
import io.rosetta.search.internal.RqlParser;
import io.rosetta.search.internal.RqlThingFilters;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a live stream's event log does for each event: ask every subscriber's RQL filter about the changed twin.
 * {@code each} evaluates the 1,000 filters one by one ({@link Filter#matches}, the baseline); {@code indexed} asks the
 * predicates that the search hands to the live streams ({@link RqlThingFilters}), which decide all filters of one
 * twin together. Subscriber {@code k} filters on {@code and(eq(attributes/group,"g<k>"),ge(features/env/properties/temperature,10))};
 * each twin is a new value (as after every change), {@code things} of them in turn.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class LiveFilterBenchmark {

    @Param({"1000"})
    public int subscribers;

    private Thing[] things;
    private List<Filter> filters;
    private List<Predicate<Thing>> predicates;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        RqlThingFilters live = new RqlThingFilters();
        filters = new java.util.ArrayList<>();
        predicates = new java.util.ArrayList<>();
        for (int k = 0; k < subscribers; k++) {
            String rql = "and(eq(attributes/group,\"g" + k + "\"),ge(features/env/properties/temperature,10))";
            filters.add(RqlParser.parseFilter(rql));
            predicates.add(live.parse(rql));
        }
        things = new Thing[4096];
        for (int i = 0; i < things.length; i++) {
            things[i] = Thing.fromJson(Json.parseObject("{\"thingId\":\"bench:t-" + i + "\",\"attributes\":{\"group\":\"g" + (i % subscribers)
                    + "\"},\"features\":{\"env\":{\"properties\":{\"temperature\":" + (10 + i % 20) + "}}}}"), null);
        }
    }

    private Thing nextThing() {
        Thing t = things[next];
        next = (next + 1) & (things.length - 1);
        return t;
    }

    /** Baseline: each filter evaluated on its own. Returns the matches (1 per twin here). */
    @Benchmark
    public int each() {
        Thing t = nextThing();
        int matches = 0;
        for (Filter f : filters) {
            if (f.matches(t)) {
                matches++;
            }
        }
        return matches;
    }

    /** The live streams' predicates: the first question decides all, the others are bit lookups. */
    @Benchmark
    public int indexed() {
        Thing t = nextThing();
        int matches = 0;
        for (Predicate<Thing> p : predicates) {
            if (p.test(t)) {
                matches++;
            }
        }
        return matches;
    }
}
