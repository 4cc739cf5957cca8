package io.rosetta.benchmarks.headline;

import io.rosetta.core.internal.journal.Journal;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Scenario 4 of the headline benchmark: N twins (3 features × 3 properties, the twins of the footprint
 * benchmark) in the core's twin registry with its journal, and the restart of a registry with them on disk.
 *
 * <ul>
 * <li>{@code write DIR N}: creates N twins in a journaled registry, measures the heap after GC per twin,
 *     writes a snapshot, then reports a new value on N/10 of them (the journal tail after the snapshot) and
 *     halts without closing, as a {@code kill -9} would: on disk are a snapshot and a journal;</li>
 * <li>{@code restart DIR}: opens a registry on DIR (a fresh JVM), and prints the time to rebuild it and the heap after GC.</li>
 * </ul>
 * Each prints one CSV line {@code phase,twins,seconds,heap_after_gc_mb,bytes_per_twin,disk_mb}.
 */
public final class TwinRestart {

    static final String DEFINITION = "rosetta:temperature-humidity-sensor:1.0.0";

    private TwinRestart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !List.of("write", "restart").contains(args[0])) {
            System.err.println("Usage: TwinRestart write DIR N | restart DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        if (args[0].equals("write")) {
            write(dir, Integer.parseInt(args[2]));
        } else {
            restart(dir);
        }
    }

    static Thing twin(int i) {
        double t = 15 + (i % 200) / 10.0;
        return Thing.newBuilder(ThingId.of("org.example.fleet", "sensor-" + i))
                .policyId("org.example.fleet:default")
                .definition(DEFINITION)
                .attributes(JsonObject.newBuilder().set("vendor", "Acme").set("model", "TH-" + (i % 7)).build())
                .features(List.of(
                        Feature.of("temperature", null, props("value", t, "minMeasuredValue", t - 3, "maxMeasuredValue", t + 4), null),
                        Feature.of("humidity", null, props("value", 40 + i % 30, "minMeasuredValue", 30 + i % 7, "maxMeasuredValue", 70 - i % 5), null),
                        Feature.of("device", null, JsonObject.newBuilder().set("manufacturer", "Acme").set("batteryLevel", JsonValue.of(100 - i % 90))
                                .set("signalStrength", JsonValue.of(-40 - i % 50)).set("firmwareVersion", "1." + (i % 5) + ".0").build(), null)))
                .build();
    }

    private static JsonObject props(String k1, double v1, String k2, double v2, String k3, double v3) {
        return JsonObject.newBuilder().set(k1, JsonValue.of(v1)).set(k2, JsonValue.of(v2)).set(k3, JsonValue.of(v3)).build();
    }

    private static void write(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        TwinRegistryImpl registry = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        long before = usedAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            registry.create(twin(i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = usedAfterGc();
        line("create", registry.size(), seconds, after, (after - before) / (double) n, dir);
        start = System.nanoTime();
        registry.snapshotNow();
        line("snapshot", registry.size(), (System.nanoTime() - start) / 1e9, Double.NaN, Double.NaN, dir);
        start = System.nanoTime();
        JsonPointer path = JsonPointer.of("/features/temperature/properties");
        for (int i = 0; i < n; i += 10) {
            registry.report(ThingId.of("org.example.fleet", "sensor-" + i), path,
                    JsonObject.newBuilder().set("value", JsonValue.of(20 + (i % 50) / 10.0)).build(), System.currentTimeMillis());
        }
        line("journal-tail", n / 10, (System.nanoTime() - start) / 1e9, Double.NaN, Double.NaN, dir);
        System.out.flush();
        // no close(): a close would write a shutdown snapshot; the journal (memory-mapped) survives the halt like a kill -9
        Runtime.getRuntime().halt(0);
    }

    private static void restart(Path dir) throws IOException {
        long before = usedAfterGc();
        long start = System.nanoTime();
        TwinRegistryImpl registry = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = usedAfterGc();
        int size = registry.size();
        if (registry.retrieve(ThingId.of("org.example.fleet", "sensor-0")).isEmpty()) {
            throw new IllegalStateException("sensor-0 missing after the restart");
        }
        line("restart", size, seconds, after, (after - before) / (double) Math.max(1, size), dir);
        System.exit(0); // not close(): that would write a shutdown snapshot; exit() lets a flight recording be written
    }

    private static void line(String phase, int twins, double seconds, double heap, double perTwin, Path dir) throws IOException {
        System.out.printf(Locale.ROOT, "%s,%d,%.3f,%.1f,%.0f,%.1f%n", phase, twins, seconds, heap / 1048576.0, perTwin, diskBytes(dir) / 1048576.0);
    }

    private static long diskBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
