package io.rosetta.benchmarks;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.devices.AuthResult;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportProgress;
import io.rosetta.devices.ImportReport;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * MQTT password checks against the device registry ({@code authenticateMqtt}) with the default Argon2id parameters
 * (m = 19 MiB, t = 2, p = 1), for {@value #DEVICES} devices with passwords of their own. {@code cache=true}: every
 * password was verified once before (a device reconnecting), so a check is one HMAC; {@code cache=false}: every check
 * runs Argon2id (the cost of a first connect, or of every connect without the cache). Run with {@code -t 1} and
 * {@code -t 2}: KDF checks are limited to {@code kdf.threads} at a time (default: half the processors).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DeviceRegistryBenchmark -t 2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class DeviceRegistryBenchmark {

    static final int DEVICES = 200;
    static final String MODEL = "rosetta:temperature-humidity-sensor:1.0.0";

    @Param({"true", "false"})
    public boolean cache;

    private Path dir;
    private TwinRegistryImpl twins;
    private DeviceRegistryImpl registry;
    private byte[][] passwords;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("rosetta-devices-bench");
        twins = TwinRegistryImpl.inMemory();
        registry = open(twins, dir, Map.of("auth.cache.size", cache ? "100000" : "0"));
        List<DeviceSpec> specs = new ArrayList<>(DEVICES);
        passwords = new byte[DEVICES][];
        for (int i = 0; i < DEVICES; i++) {
            String pw = "password-" + i + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
            passwords[i] = pw.getBytes(StandardCharsets.UTF_8);
            specs.add(DeviceSpec.newBuilder("d" + i).model(MODEL).mqtt("u" + i, pw).build());
        }
        ImportReport report = registry.importDevices(specs, ImportOptions.defaults(), ImportProgress.NONE, "bench");
        if (report.imported() != DEVICES) {
            throw new IllegalStateException("import failed: " + report.errors());
        }
        if (cache) {
            for (int i = 0; i < DEVICES; i++) {
                check(i);
            }
        }
    }

    static DeviceRegistryImpl open(TwinRegistryImpl twins, Path dir, Map<String, String> properties) {
        ModelRegistry models = ClassPathModels.registry(DeviceRegistryBenchmark.class.getClassLoader());
        return DeviceRegistryImpl.open(twins, models, new ModelTwinTemplates(models), dir, properties);
    }

    private void check(int i) {
        AuthResult r = registry.authenticateMqtt("u" + i, passwords[i]);
        if (!r.accepted()) {
            throw new IllegalStateException("refused: " + r.outcome());
        }
    }

    @Benchmark
    public AuthResult authenticate() {
        int i = Math.floorMod(next.getAndIncrement(), DEVICES);
        return registry.authenticateMqtt("u" + i, passwords[i]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.println("\n" + registry.stats());
        registry.close();
        twins.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
