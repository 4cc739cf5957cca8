package io.rosetta.benchmarks.coap;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;

/**
 * The CoAP binding under load (docs/BENCHMARKS.md). Two measurements:
 *
 * <ul>
 * <li>{@code ingest}: SenML JSON POSTs of registered devices, as fast as a closed loop of {@code window} outstanding
 * confirmable requests allows, against the binding on the real core (registry with journal and model validation)
 * and against a bare Californium server that only acknowledges, alternately, in the same JVM with the same client;
 * rate, p50/p99 and the ratio.</li>
 * <li>{@code fleet}: {@code devices} simulated devices register (RFC 9176) and then report {@code rounds} times; every
 * twin is checked afterwards (ONLINE, the last value sent).</li>
 * </ul>
 *
 * {@code java -jar coap-benchmarks.jar ingest|fleet [--key value ...]}
 */
public final class CoapBenchmark {

    static final String MODEL = "rosetta:temperature-humidity-sensor:1.0.0";
    static final String LINKS = "</temp>;rt=\"temperature\",</hum>;rt=\"humidity\"";

    private CoapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (args.length == 0 || !(args[0].equals("ingest") || args[0].equals("fleet"))) {
            System.err.println("usage: java -jar coap-benchmarks.jar ingest|fleet [--devices n] [--window n] [--sockets n] "
                    + "[--seconds s] [--warmup s] [--pairs n] [--rounds n] [--dtls true]");
            System.exit(2);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        System.out.printf(Locale.ROOT, "java %s, %d processors, max heap %d MB, load average %.2f%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (args[0].equals("ingest")) {
            boolean dtls = Boolean.parseBoolean(o.getOrDefault("dtls", "false"));
            ingest(integer(o, "devices", dtls ? 16 : 1000), integer(o, "window", 32), integer(o, "sockets", 8),
                    decimal(o, "seconds", 10), decimal(o, "warmup", 5), integer(o, "pairs", 2), dtls);
        } else {
            fleet(integer(o, "devices", 10_000), integer(o, "window", 64), integer(o, "sockets", 16), integer(o, "rounds", 3));
        }
        System.out.printf(Locale.ROOT, "load average at the end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(0);
    }

    /** Alternating runs against the bare server and the binding; ratios of the same pair. */
    static void ingest(int devices, int window, int sockets, double seconds, double warmup, int pairs, boolean dtls) throws Exception {
        Map<String, byte[]> psk = new LinkedHashMap<>();
        byte[] key = "benchmark-key".getBytes(StandardCharsets.UTF_8);
        if (dtls) {
            for (int i = 0; i < devices; i++) {
                psk.put(name(i), key);
            }
            sockets = devices; // a DTLS identity speaks for its own endpoint only: one session per device
        }
        System.out.printf(Locale.ROOT, "ingest%s: %d devices, %d sockets, window %d, %.0f s warm-up + %.0f s measured per server, %d pairs%n",
                dtls ? " over DTLS (PSK, TLS_PSK_WITH_AES_128_CCM_8)" : "", devices, sockets, window, warmup, seconds, pairs);
        List<double[]> ratios = new ArrayList<>();
        for (int pair = 1; pair <= pairs; pair++) {
            LoadDriver.Result bare;
            try (LoadDriver driver = driver(dtls, sockets, psk, key); Servers.Bare server = new Servers.Bare(psk)) {
                bare = measure(driver, server, devices, window, seconds, warmup);
            }
            LoadDriver.Result rosetta;
            try (LoadDriver driver = driver(dtls, sockets, psk, key); Servers.Rosetta server = new Servers.Rosetta(psk)) {
                rosetta = measure(driver, server, devices, window, seconds, warmup);
                check(server, devices, rosetta);
            }
            double rate = rosetta.rate() / bare.rate();
            double p99 = rosetta.percentileMillis(99) / bare.percentileMillis(99);
            ratios.add(new double[] {rate, p99});
            System.out.printf(Locale.ROOT, "pair %d: bare    %s%n", pair, bare);
            System.out.printf(Locale.ROOT, "pair %d: rosetta %s%n", pair, rosetta);
            System.out.printf(Locale.ROOT, "pair %d: rate ratio %.2f, p99 ratio %.2f%n", pair, rate, p99);
        }
        System.out.printf(Locale.ROOT, "rate ratios %s, p99 ratios %s%n",
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r[0])).toList(),
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r[1])).toList());
    }

    /** A fresh client for each server: the same code and settings, new sockets (and message ids). */
    private static LoadDriver driver(boolean dtls, int sockets, Map<String, byte[]> psk, byte[] key) throws Exception {
        return dtls ? new LoadDriver(psk.keySet().toArray(new String[0]), key) : new LoadDriver(sockets);
    }

    private static LoadDriver.Result measure(LoadDriver driver, Servers.Server server, int devices, int window, double seconds,
                                             double warmup) throws Exception {
        LoadDriver.Result reg = driver.count(server.address(), devices, window, i -> register(i, 3600), ResponseCode.CREATED);
        if (reg.ok() != devices) {
            throw new IllegalStateException(server.name() + ": " + reg.failed() + " registrations failed");
        }
        int[] offset = {0};
        IntFunction<Request> reading = i -> reading((offset[0] + i) % devices, offset[0] + i);
        LoadDriver.Result w = driver.timed(server.address(), warmup, window, reading, ResponseCode.CHANGED);
        // continue the sequence where the warm-up ended, each device on the client socket it used before
        offset[0] = (int) ((w.requests() + devices - 1) / devices * devices);
        LoadDriver.Result m = driver.timed(server.address(), seconds, window, reading, ResponseCode.CHANGED);
        answered = w.ok() + m.ok();
        lastSeq = offset[0] + (int) m.requests() - 1;
        return m;
    }

    private static long answered;
    private static int lastSeq;

    /**
     * The binding answered 2.04 only for readings that reached a twin: as many accepted as answered, nothing refused,
     * and the device of the last reading holds its value.
     */
    private static void check(Servers.Rosetta server, int devices, LoadDriver.Result result) {
        if (!server.runtime.rejected().isEmpty() || result.failed() > 0 || server.runtime.accepted() != answered) {
            throw new IllegalStateException("refused readings: " + server.runtime.rejected() + ", failed requests " + result.failed()
                    + ", accepted " + server.runtime.accepted() + " of " + answered);
        }
        JsonValue v = server.registry.retrieve(ThingId.of("coap", name(lastSeq % devices))).flatMap(t -> t.feature("temperature"))
                .map(f -> f.properties().getOrNull("value")).orElse(null);
        if (!JsonNumber.of(temperature(lastSeq)).equals(v)) {
            throw new IllegalStateException("the last reading is not on its twin: " + v + " instead of " + temperature(lastSeq));
        }
        System.out.printf(Locale.ROOT, "rosetta: %,d readings accepted into twins (journaled), none refused%n", server.runtime.accepted());
    }

    /** {@code devices} register, then each reports {@code rounds} times; every twin is checked. */
    static void fleet(int devices, int window, int sockets, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "fleet: %d devices on %d client sockets, window %d, %d reports each%n", devices, sockets, window,
                rounds);
        Runtime rt = Runtime.getRuntime();
        try (LoadDriver driver = new LoadDriver(sockets); Servers.Rosetta server = new Servers.Rosetta()) {
            long heapBefore = usedHeapAfterGc();
            LoadDriver.Result reg = driver.count(server.address(), devices, window, i -> register(i, 3600), ResponseCode.CREATED);
            System.out.printf(Locale.ROOT, "registration: %s%n", reg);
            long online = 0;
            for (int i = 0; i < devices; i++) {
                ThingId id = ThingId.of("coap", name(i));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!isOnline(server, id) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                online += isOnline(server, id) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "twins ONLINE after registration: %d of %d; registered endpoints %d%n", online, devices,
                    server.runtime.registeredEndpoints().size());
            LoadDriver.Result reports = driver.count(server.address(), devices * rounds, window, i -> reading(i % devices, i),
                    ResponseCode.CHANGED);
            System.out.printf(Locale.ROOT, "reports: %s%n", reports);
            long right = 0;
            int last = devices * rounds - devices;
            for (int i = 0; i < devices; i++) {
                JsonValue v = server.registry.retrieve(ThingId.of("coap", name(i))).flatMap(t -> t.feature("temperature"))
                        .map(f -> f.properties().getOrNull("value")).orElse(null);
                right += JsonNumber.of(temperature(last + i)).equals(v) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "twins holding their device's last reading: %d of %d; accepted %d, refused %s%n", right, devices,
                    server.runtime.accepted(), server.runtime.rejected().isEmpty() ? "none" : server.runtime.rejected());
            long heapAfter = usedHeapAfterGc();
            System.out.printf(Locale.ROOT, "heap after GC: %d MB before, %d MB with %d registered devices (%.1f KB per device); "
                            + "threads %d%n", heapBefore >> 20, heapAfter >> 20, devices, (heapAfter - heapBefore) / 1024.0 / devices,
                    Thread.activeCount());
            if (server.runtime.rejected(RejectReason.UNKNOWN_ENDPOINT) > 0 || right != devices || online != devices) {
                throw new IllegalStateException("the fleet did not arrive whole");
            }
        }
        rt.gc();
    }

    private static boolean isOnline(Servers.Rosetta server, ThingId id) {
        return server.registry.retrieve(id).map(Thing::connectivity).map(ConnectivityStatus::status)
                .filter(s -> s == ConnectivityStatus.Status.ONLINE).isPresent();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static String name(int device) {
        return "dev-" + device;
    }

    static Request register(int device, int lifetime) {
        Request r = Request.newPost();
        r.getOptions().setUriPath("rd");
        r.getOptions().addUriQuery("ep=" + name(device));
        r.getOptions().addUriQuery("lt=" + lifetime);
        r.getOptions().addUriQuery("et=" + MODEL);
        r.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
        r.setPayload(LINKS.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The {@code seq}-th reading, of {@code device}: temperature and humidity as SenML JSON. */
    static Request reading(int device, int seq) {
        Request r = Request.newPost();
        r.getOptions().setUriPath("dev/" + name(device));
        r.getOptions().setContentFormat(110);
        r.setPayload(("[{\"bn\":\"urn:dev:" + name(device) + ":\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":" + temperature(seq)
                + "},{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":" + (30 + seq % 40) + "}]").getBytes(StandardCharsets.UTF_8));
        return r;
    }

    static double temperature(int seq) {
        return 15 + (seq % 200) / 10.0;
    }

    private static int integer(Map<String, String> o, String key, int dflt) {
        return o.containsKey(key) ? Integer.parseInt(o.get(key)) : dflt;
    }

    private static double decimal(Map<String, String> o, String key, double dflt) {
        return o.containsKey(key) ? Double.parseDouble(o.get(key)) : dflt;
    }
}
