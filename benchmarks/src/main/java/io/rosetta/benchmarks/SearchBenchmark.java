package io.rosetta.benchmarks;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.search.internal.Filter;
import io.rosetta.search.internal.RqlParser;
import io.rosetta.search.internal.SearchIndex;
import io.rosetta.search.internal.SearchOptions;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 * Thing search over 100 k twins built like {@link Fixtures}: a page of 25 ({@code search*}) and a
 * count ({@code count*}) through the path indexes, against the full scan of the same index in the
 * same run ({@code scan*}: every twin checked with the filter, the same bounded-heap paging).
 * {@code update} is the write side: one twin replaced while all the queries' paths are indexed.
 * Target: a filter answers in ≤ 50 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SearchBenchmark {

    static final int TWINS = 100_000;

    /** The filters and options measured, by name (JMH cannot pass parameters that contain commas). */
    static final Map<String, String[]> QUERIES = Map.of(
            // an attribute shared by 1/7 of the fleet, default sort (+thingId)
            "attribute", new String[] {"eq(attributes/model,\"TH-3\")", "size(25)"},
            // one twin by id
            "id", new String[] {"eq(thingId,\"org.example.fleet:sensor-4242\")", "size(25)"},
            // two ranges on properties of different features, sorted by a property
            "ranges", new String[] {"and(gt(features/temperature/properties/value,33.5),lt(features/humidity/properties/value,45))",
                "sort(-features/temperature/properties/value),size(25)"},
            // a prefix pattern and a wildcard feature id
            "pattern", new String[] {"and(like(features/device/properties/firmwareVersion,\"1.3*\"),ge(features/*/properties/batteryLevel,95))",
                "size(25)"},
            // a negation that matches half the fleet, sorted by an attribute (then by id)
            "negation", new String[] {"not(in(features/humidity/properties/value,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54))",
                "sort(+attributes/model),size(25)"});

    @Param({"attribute", "id", "ranges", "pattern", "negation"})
    public String query;

    private SearchIndex index;
    private Filter filter;
    private SearchOptions options;
    private Thing[] twins;

    @Setup(Level.Trial)
    public void setUp() {
        index = new SearchIndex(32);
        twins = new Thing[TWINS];
        for (int i = 0; i < TWINS; i++) {
            twins[i] = Fixtures.twin(i).toBuilder().revision(1).build();
            index.upsert(twins[i]);
        }
        filter = RqlParser.parseFilter(QUERIES.get(query)[0]);
        options = RqlParser.parseOptions(QUERIES.get(query)[1]);
        // build the query's indexes before measuring (the first query of a path pays for its index once)
        long indexed = index.count(filter);
        long scanned = index.scanCount(filter);
        if (indexed != scanned) {
            throw new IllegalStateException("index and scan disagree on " + query + ": " + indexed + " vs " + scanned);
        }
        index.search(filter, options, null);
    }

    @Benchmark
    public SearchIndex.Page search() {
        return index.search(filter, options, null);
    }

    @Benchmark
    public SearchIndex.Page scanSearch() {
        return index.scanSearch(filter, options, null);
    }

    @Benchmark
    public long count() {
        return index.count(filter);
    }

    @Benchmark
    public long scanCount() {
        return index.scanCount(filter);
    }

    /** A device report changes a twin's temperature: every index of the twin's paths is updated. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void update() {
        int i = ThreadLocalRandom.current().nextInt(TWINS);
        Thing t = twins[i];
        Feature temperature = t.feature("temperature").orElseThrow();
        double v = 15 + ThreadLocalRandom.current().nextInt(200) / 10.0;
        Thing next = t.withFeature(temperature.withProperties(JsonObject.newBuilder().set("value", JsonValue.of(v))
                .set("minMeasuredValue", JsonValue.of(v - 3)).set("maxMeasuredValue", JsonValue.of(v + 4)).build()))
                .toBuilder().revision(t.revision() + 1).build();
        twins[i] = next;
        index.upsert(next);
    }
}
