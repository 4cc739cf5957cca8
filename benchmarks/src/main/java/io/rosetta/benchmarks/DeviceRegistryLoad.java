package io.rosetta.benchmarks;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.ImportFormat;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportProgress;
import io.rosetta.devices.ImportReport;
import io.rosetta.devices.internal.DeviceRegistryImpl;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Measurements of the device registry that are not a JMH loop.
 *
 * <p>{@code import <devices> [<rows with a password>]}: a CSV fleet (a PSK and an Argon2id hash made elsewhere per
 * row; optionally that many rows with a password in the clear instead, hashed at import) imported into a registry on
 * disk with its twins: time, rows per second, heap per device after GC (device + twin), and the time to open the
 * registry again (recovery from its files).
 *
 * <p>{@code load <seconds>}: ingest of already-connected devices ({@code TwinRegistry.report} on one thread, as a
 * binding calls it) alone, then while another thread authenticates 1,000 MQTT connects per second against the
 * registry: reconnects (cached passwords), then first connects (every check runs Argon2id). Prints reports/s and the
 * connects/s achieved for each phase.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.rosetta.benchmarks.DeviceRegistryLoad import 100000 0
 * java -cp benchmarks/target/benchmarks.jar io.rosetta.benchmarks.DeviceRegistryLoad load 10
 * </pre>
 */
public final class DeviceRegistryLoad {

    /** An Argon2id hash (m = 19456 KiB, t = 2, p = 1) of "device-secret-1", made by the reference argon2 tool. */
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$YzJGc2RITmhiSFF4TWpNMA$uUuNNaXU4DvzV80u5B3kNZwJZ5sB8oxJFGxVj5mvQRU";

    private DeviceRegistryLoad() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "import";
        if (mode.equals("load")) {
            load(args.length > 1 ? Integer.parseInt(args[1]) : 10);
        } else {
            importFleet(args.length > 1 ? Integer.parseInt(args[1]) : 100_000, args.length > 2 ? Integer.parseInt(args[2]) : 0);
        }
    }

    static byte[] csv(int devices, int withPassword) {
        StringBuilder sb = new StringBuilder(devices * 200).append("deviceId,thingId,binding,model,mqttUsername,mqttPassword,mqttPasswordHash,"
                + "pskIdentity,pskKey,config.interval\n");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < devices; i++) {
            String id = String.format("dev-%06d", i);
            sb.append(id).append(",fleet:").append(id).append(",coap,").append(DeviceRegistryBenchmark.MODEL).append(',').append(id).append(',');
            if (i < withPassword) {
                sb.append("password-").append(i).append(',');
            } else {
                // a PHC hash has commas: quoted
                sb.append(",\"").append(HASH).append('"');
            }
            sb.append(',').append(id).append(",hex:").append(hex.formatHex(String.format("psk-%012d", i).getBytes(StandardCharsets.US_ASCII)))
                    .append(",30\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void importFleet(int devices, int withPassword) throws Exception {
        Path dir = Files.createTempDirectory("rosetta-devices-import");
        try {
            byte[] file = csv(devices, withPassword);
            TwinRegistryImpl twins = TwinRegistryImpl.inMemory();
            twins.setValidators(List.of(ShippedModels.validator()));
            DeviceRegistryImpl registry = DeviceRegistryBenchmark.open(twins, dir, Map.of("fsync", "INTERVAL"));
            long before = Footprint.usedAfterGc();
            long start = System.nanoTime();
            ImportReport report = registry.importDevices(ImportFormat.CSV, new ByteArrayInputStream(file), ImportOptions.defaults(),
                    ImportProgress.NONE, "bench");
            long nanos = System.nanoTime() - start;
            file = null;
            long after = Footprint.usedAfterGc();
            if (report.imported() != devices) {
                throw new IllegalStateException(report.rejected() + " rows rejected: " + report.errors().subList(0, Math.min(5, report.errors().size())));
            }
            System.out.printf("import: %d devices (%d with a password hashed at import) in %.2f s = %.0f devices/s; heap %.0f bytes per device "
                            + "(device + twin), %.1f MB in all%n", devices, withPassword, nanos / 1e9, devices / (nanos / 1e9),
                    (after - before) / (double) devices, (after - before) / 1e6);
            long t0 = System.nanoTime();
            registry.close();
            long closeNanos = System.nanoTime() - t0;
            t0 = System.nanoTime();
            registry = DeviceRegistryBenchmark.open(twins, dir, Map.of());
            System.out.printf("close (with snapshot): %d ms; open again (recovery): %d ms, %d devices; files: %s%n", closeNanos / 1_000_000,
                    (System.nanoTime() - t0) / 1_000_000, registry.devices().size(), sizes(dir.resolve("devices")));
            registry.close();
            twins.close();
        } finally {
            delete(dir);
        }
    }

    static void load(int seconds) throws Exception {
        Path dir = Files.createTempDirectory("rosetta-devices-load");
        try {
            TwinRegistryImpl twins = TwinRegistryImpl.inMemory();
            twins.setValidators(List.of(ShippedModels.validator()));
            int connected = 1000;
            for (int i = 0; i < connected; i++) {
                twins.create(Thing.newBuilder(ThingId.of("ingest", "t" + i)).definition(DeviceRegistryBenchmark.MODEL).build());
            }
            DeviceRegistryImpl cached = DeviceRegistryBenchmark.open(twins, dir.resolve("cached"), Map.of());
            DeviceRegistryImpl uncached = DeviceRegistryBenchmark.open(twins, dir.resolve("uncached"), Map.of("auth.cache.size", "0"));
            int devices = 200;
            List<DeviceSpec> specs = new ArrayList<>(devices);
            for (int i = 0; i < devices; i++) {
                specs.add(DeviceSpec.newBuilder("d" + i).thingId("auth:d" + i).model(DeviceRegistryBenchmark.MODEL).mqtt("u" + i, null)
                        .mqttPasswordHash(HASH).build());
            }
            cached.importDevices(specs, ImportOptions.defaults(), ImportProgress.NONE, "bench");
            uncached.importDevices(specs.stream().map(s -> s.toBuilder().thingId("auth2:" + s.deviceId()).build()).toList(),
                    ImportOptions.defaults(), ImportProgress.NONE, "bench");
            byte[] pw = "device-secret-1".getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            for (int i = 0; i < devices; i++) {
                cached.authenticateMqtt("u" + i, pw);
            }
            System.out.printf("first connects of %d devices (Argon2id each, one at a time): %.1f ms each%n", devices,
                    (System.nanoTime() - t0) / 1e6 / devices);
            ingest(twins, connected, 3, null);
            // each phase between two runs of ingest alone: the ratio is against their mean
            double alone1 = ingest(twins, connected, seconds, null);
            double[] withCached = new double[1];
            double a = ingest(twins, connected, seconds, () -> withCached[0] = connects(cached, devices, pw, seconds));
            double alone2 = ingest(twins, connected, seconds, null);
            double[] withKdf = new double[1];
            double b = ingest(twins, connected, seconds, () -> withKdf[0] = connects(uncached, devices, pw, seconds));
            double alone3 = ingest(twins, connected, seconds, null);
            System.out.printf("ingest alone: %.0f, %.0f, %.0f reports/s%n", alone1, alone2, alone3);
            System.out.printf("ingest with 1,000 reconnects/s (cached): %.0f reports/s = %.2f x alone; connects achieved %.0f/s%n", a,
                    a / ((alone1 + alone2) / 2), withCached[0]);
            System.out.printf("ingest with 1,000 first connects/s asked (Argon2id each): %.0f reports/s = %.2f x alone; connects achieved %.0f/s%n",
                    b, b / ((alone2 + alone3) / 2), withKdf[0]);
            System.out.println("cached: " + cached.stats());
            System.out.println("uncached: " + uncached.stats());
            cached.close();
            uncached.close();
            twins.close();
        } finally {
            delete(dir);
        }
    }

    /** Reports per second on one thread for {@code seconds}, while {@code side} runs on another (if given). */
    static double ingest(TwinRegistryImpl twins, int things, int seconds, Runnable side) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reports = new AtomicLong();
        Thread ingest = new Thread(() -> {
            JsonPointer path = JsonPointer.of("/features/temperature/properties");
            long n = 0;
            while (!stop.get()) {
                twins.report(ThingId.of("ingest", "t" + (n % things)), path, JsonObject.of("value", JsonValue.of(20 + (n % 100) / 10.0)),
                        System.currentTimeMillis());
                n++;
            }
            reports.set(n);
        }, "ingest");
        Thread other = side == null ? null : new Thread(side, "connects");
        long start = System.nanoTime();
        ingest.start();
        if (other != null) {
            other.start();
        }
        LockSupport.parkNanos(seconds * 1_000_000_000L);
        stop.set(true);
        ingest.join();
        if (other != null) {
            other.join();
        }
        return reports.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Asks for 1,000 connects per second (paced) for {@code seconds}; returns the rate achieved. */
    static double connects(DeviceRegistryImpl registry, int devices, byte[] pw, int seconds) {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < end) {
            long due = start + n * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!registry.authenticateMqtt("u" + (n % devices), pw).accepted() && registry.stats().authRefused().getOrDefault("mqtt:BUSY", 0L) == 0) {
                throw new IllegalStateException("refused");
            }
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static String sizes(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                if (Files.isRegularFile(p) && Files.size(p) > 0) {
                    sb.append(p.getFileName()).append(' ').append(Files.size(p) / 1024).append(" KiB  ");
                }
            }
        }
        return sb.toString().trim();
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
