package io.rosetta.benchmarks;

import io.rosetta.core.internal.journal.Journal;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Merge patches as a binding reports them ({@code report} at {@code /features/temperature/properties}),
 * over 10 k resident twins, each checked against the shipped semantic model as inside Karaf. {@code journal=none} is the in-memory baseline of the same run; the
 * others journal every patch before acknowledging it (INTERVAL forces once a second, ALWAYS forces
 * with group commit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RegistryMergeBenchmark {

    static final int TWINS = 10_000;
    static final JsonPointer PATH = JsonPointer.of("/features/temperature/properties");

    @Param({"none", "never", "interval", "always"})
    public String journal;

    private TwinRegistryImpl registry;
    private Path dir;
    private ThingId[] ids;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (journal.equals("none")) {
            registry = TwinRegistryImpl.inMemory();
        } else {
            dir = Files.createTempDirectory("rosetta-bench-journal");
            registry = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.valueOf(journal.toUpperCase()), 2_000_000);
        }
        registry.setValidators(java.util.List.of(ShippedModels.validator()));
        ids = new ThingId[TWINS];
        for (int i = 0; i < TWINS; i++) {
            ids[i] = registry.create(Fixtures.twin(i)).thingId();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        registry.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Object mergeOne() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int i = r.nextInt(TWINS);
        JsonObject patch = JsonObject.of("value", JsonValue.of(15 + r.nextInt(200) / 10.0));
        return registry.report(ids[i], PATH, patch, System.currentTimeMillis());
    }

    @Benchmark
    @Threads(1)
    public Object mergeOneThread() {
        return mergeOne();
    }

    @Benchmark
    @Threads(2)
    public Object mergeTwoThreads() {
        return mergeOne();
    }
}
