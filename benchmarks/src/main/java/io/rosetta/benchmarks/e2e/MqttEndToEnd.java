package io.rosetta.benchmarks.e2e;

import io.rosetta.benchmarks.simulator.Simulator;
import io.rosetta.benchmarks.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MQTT end-to-end benchmark: the device simulator publishes a mixed fleet's telemetry at fixed
 * offered loads to a broker; a receiver measures what arrives and how late.
 *
 * <ul>
 * <li>{@code ceiling}: a bare Paho subscriber on the same broker receives the same stream (the most any
 *     consumer of this broker on this machine can take);</li>
 * <li>{@code rosetta}: the running server's MQTT binding takes the stream, maps it onto twins, and an
 *     application follows the twins' server-sent events; device → subscriber latency is the time from the
 *     simulator handing a message to its connection to the event with that message's value arriving;</li>
 * <li>{@code report}: the Markdown table of both, from the CSV files of a run.</li>
 * </ul>
 *
 * Both receivers run in this JVM next to the simulator, so send and receive times come from one clock.
 * A step is sustained when the simulator published at least 95 % of the offered load, at most 0.5 % of it
 * was lost (a later message of the same device arrived first), at least 97 % of what was sent in the window
 * arrived in it, p99 stayed under a second, and the event stream was not cut (the server ends the stream of a
 * client that fell too far behind; the subscriber resumes it with {@code Last-Event-ID}).
 * {@code benchmarks/scripts/mqtt-e2e.sh} runs the whole thing.
 */
public final class MqttEndToEnd {

    static final String STEPS_HEADER = "mode,label,offered_msg_s,published_msg_s,delivered_msg_s,delivered_fraction,p50_ms,p90_ms,p99_ms,"
            + "max_ms,lost,server_cpu_s_per_1k,broker_cpu_s_per_1k,load1_start,load1_end,sustained,failed_by,server_jit_cpu_s_per_1k,steal_percent";
    static final String SOAK_HEADER = "mode,label,t_s,offered_msg_s,published_msg_s,delivered_fraction,p50_ms,p99_ms,heap_after_gc_mb,load1";

    record Options(String mode, Map<String, String> values) {

        String get(String key, String def) {
            return values.getOrDefault(key, def);
        }

        double number(String key, double def) {
            return values.containsKey(key) ? Double.parseDouble(values.get(key)) : def;
        }

        Duration duration(String key, String def) {
            return SimulatorOptions.duration(get(key, def));
        }

        List<Double> loads() {
            List<Double> out = new ArrayList<>();
            for (String s : get("loads", "1000,2500,5000,7500,10000").split(",")) {
                out.add(Double.parseDouble(s.trim()));
            }
            return out;
        }
    }

    static final String USAGE = """
            Usage: java -cp benchmarks.jar io.rosetta.benchmarks.e2e.MqttEndToEnd ceiling|rosetta|report [options]
              --broker URL            the broker (tcp://127.0.0.1:1883)
              --devices N --connections C --dialects LIST --qos Q    the simulated fleet (2000, 4, all, 0)
              --loads L1,L2,...       offered loads in msg/s (1000,2500,5000,7500,10000)
              --warmup D --step D     per load: settling time, then measuring time (5s, 15s)
              --stop-after N          stop after N consecutive loads the receiver did not sustain (2)
              --jit-warmup D          after priming: this long at the highest load up to 5,000 msg/s before the measured steps (0s)
              --api URL --user U --password P --namespace NS   Rosetta's HTTP API and the binding's namespace (rosetta)
              --server-pid PID --broker-pid PID                 processes whose CPU (and the server's heap) are read
              --soak D --soak-rate R --heap-every D             rosetta: a long run at R msg/s, heap after GC every D
              --out DIR --label TEXT  where steps.csv and soak.csv are appended (benchmarks/target/mqtt-e2e)
            """;

    private MqttEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("ceiling", "rosetta", "report").contains(args[0])) {
            System.err.print(USAGE);
            System.exit(2);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad option " + args[i]);
                System.err.print(USAGE);
                System.exit(2);
            }
            values.put(args[i].substring(2), args[++i]);
        }
        Options o = new Options(args[0], values);
        Path out = Path.of(o.get("out", "benchmarks/target/mqtt-e2e"));
        Files.createDirectories(out);
        if ("report".equals(o.mode())) {
            String md = Report.markdown(out);
            Files.writeString(out.resolve("report.md"), md);
            System.out.print(md);
            return;
        }
        int failed = run(o, out);
        System.exit(failed);
    }

    static SimulatorOptions simulatorOptions(Options o, double rate) {
        return SimulatorOptions.parse(new String[] {"--broker", o.get("broker", "tcp://127.0.0.1:1883"),
            "--devices", o.get("devices", "2000"), "--connections", o.get("connections", "4"), "--dialects", o.get("dialects", "all"),
            "--qos", o.get("qos", "0"), "--rate", Double.toString(rate), "--report", "0", "--settle", o.get("settle", "2s"),
            "--client-id", "e2e-sim-" + Long.toString(System.nanoTime() & 0xffffff, 36)});
    }

    /** Runs one mode's steps (and soak); returns 0, or 1 when the receiver failed. */
    static int run(Options o, Path out) throws Exception {
        boolean ceiling = "ceiling".equals(o.mode());
        List<Double> loads = o.loads();
        double prime = o.number("prime-rate", Math.min(loads.get(0), 1000));
        long serverPid = (long) o.number("server-pid", 0);
        long brokerPid = (long) o.number("broker-pid", 0);
        String label = o.get("label", Instant.now().toString());
        SimulatorOptions so = simulatorOptions(o, prime);
        Simulator sim = new Simulator(so);
        LatencyRecorder recorder;
        AutoCloseable receiver;
        if (ceiling) {
            TopicTracker t = new TopicTracker();
            receiver = new CeilingSubscriber(so.broker(), (int) o.number("subscriber-qos", 1), t);
            sim.setListener((d, m, n) -> t.sent(m, n));
            recorder = t;
        } else {
            MarkTracker t = new MarkTracker();
            sim.devices().forEach(t::register);
            receiver = new SseSubscriber(o.get("api", "http://127.0.0.1:8181"), o.get("user", "admin"), o.get("password", ""),
                    o.get("namespace", "rosetta"), t);
            sim.setListener(t::sent);
            recorder = t;
        }
        System.out.printf(Locale.ROOT, "%s: %d devices (%s), %d connections, QoS %d, broker %s%n", o.mode(), so.devices(),
                String.join(",", so.dialects()), so.connections(), so.qos(), so.broker());
        try {
            sim.connectAndAnnounce();
            sim.startTelemetry();
            primeUntilDelivered(o, sim, recorder);
            double heap0 = ceiling ? Double.NaN : ServerProbe.heapAfterGcMb(serverPid);
            if (!ceiling) {
                System.out.printf(Locale.ROOT, "heap after GC once primed: %.1f MB%n", heap0);
                appendSoak(out, o.mode(), label, 0, prime, Double.NaN, Double.NaN, Double.NaN, Double.NaN, heap0);
            }
            warmUp(sim, loads, o.duration("jit-warmup", "0s"));
            System.out.println("offered  published  delivered  fraction   p50 ms   p90 ms   p99 ms   max ms  server-cpu/1k  load  steal");
            int failures = 0;
            for (double load : loads) {
                sim.setRate(load);
                Thread.sleep(o.duration("warmup", "5s").toMillis());
                recorder.interval();
                Simulator.Stats s0 = sim.stats();
                double cpu0 = ServerProbe.cpuSeconds(serverPid);
                double jit0 = ServerProbe.compilerCpuSeconds(serverPid);
                double bcpu0 = ServerProbe.cpuSeconds(brokerPid);
                double load0 = ServerProbe.loadAverage();
                ServerProbe.MachineTicks machine0 = ServerProbe.MachineTicks.now();
                long reconnects0 = receiver instanceof SseSubscriber sse ? sse.reconnects() : 0;
                Thread.sleep(o.duration("step", "15s").toMillis());
                long reconnects = (receiver instanceof SseSubscriber sse ? sse.reconnects() : 0) - reconnects0;
                LatencyRecorder.Interval i = recorder.interval();
                Simulator.Stats s1 = sim.stats();
                double seconds = s1.seconds() - s0.seconds();
                double published = (s1.telemetry() - s0.telemetry()) / seconds;
                double delivered = published * (Double.isNaN(i.delivered()) ? 0 : i.delivered());
                double perK = (s1.telemetry() - s0.telemetry()) / 1000.0;
                double cpu = (ServerProbe.cpuSeconds(serverPid) - cpu0) / perK;
                double jit = (ServerProbe.compilerCpuSeconds(serverPid) - jit0) / perK;
                double bcpu = (ServerProbe.cpuSeconds(brokerPid) - bcpu0) / perK;
                double load1 = ServerProbe.loadAverage();
                double steal = ServerProbe.MachineTicks.now().stealPercentSince(machine0);
                boolean generatorKept = published >= 0.95 * load;
                boolean receiverKept = i.delivered() >= 0.97 && i.lost() <= 0.005 * i.sent() && i.percentileMillis(99) < 1000 && reconnects == 0;
                boolean sustained = generatorKept && receiverKept;
                String failedBy = sustained ? "" : !receiverKept ? (generatorKept ? "receiver" : "both") : "generator";
                System.out.printf(Locale.ROOT, "%7.0f  %9.0f  %9.0f  %8.4f  %7.2f  %7.2f  %7.2f  %7.1f  %13.3f  %.2f→%.2f  %.1f %%  (JIT %.3f)%s%n", load,
                        published, delivered, i.delivered(), i.percentileMillis(50), i.percentileMillis(90), i.percentileMillis(99),
                        i.maxMillis(), cpu, load0, load1, steal, jit, (sustained ? "" : "  NOT SUSTAINED (" + failedBy + ")")
                                + (reconnects > 0 ? "  (event stream resumed " + reconnects + "×)" : ""));
                append(out.resolve("steps.csv"), STEPS_HEADER, String.format(Locale.ROOT,
                        "%s,%s,%.0f,%.1f,%.1f,%.5f,%.3f,%.3f,%.3f,%.3f,%d,%.4f,%.4f,%.2f,%.2f,%s,%s,%.4f,%.2f", o.mode(), label, load, published,
                        delivered, i.delivered(), i.percentileMillis(50), i.percentileMillis(90), i.percentileMillis(99), i.maxMillis(), i.lost(),
                        cpu, bcpu, load0, load1, sustained, failedBy, jit, steal));
                // a load the simulator could not publish says nothing about the receiver: only the receiver's failures stop the steps
                failures = receiverKept ? 0 : failures + 1;
                if (failures >= (int) o.number("stop-after", 2)) {
                    break;
                }
            }
            Duration soak = o.duration("soak", "0s");
            if (!ceiling && !soak.isZero()) {
                soak(o, out, label, sim, recorder, serverPid, soak);
            }
            Simulator.Stats s = sim.stats();
            System.out.printf(Locale.ROOT, "simulator: %s; receiver: %d of %d timed messages arrived (%d telemetry messages not timed: "
                    + "no mark, or a value the device sent just before)%n", s.line(), recorder.matched(), recorder.sent(), s.telemetry() - recorder.sent());
            if (recorder instanceof MarkTracker marks) {
                System.out.print("by dialect and kind, whole run:\n" + marks.breakdown());
            }
            if (receiver instanceof SseSubscriber sse) {
                System.out.printf(Locale.ROOT, "event stream: %d events, resumed %d times%n", sse.events(), sse.reconnects());
            }
            if (receiver instanceof SseSubscriber sse && sse.failure() != null) {
                System.out.println("event stream ended: " + sse.failure());
                return 1;
            }
            return 0;
        } finally {
            receiver.close();
            sim.close();
        }
    }

    /**
     * Before the measured steps: the stream at the highest offered load up to 5,000 msg/s (or the lowest load) for
     * {@code duration}, so that the server's just-in-time compiler has done its work before CPU is counted; the
     * Node-RED harness does the same.
     */
    public static void warmUp(Simulator sim, List<Double> loads, Duration duration) throws InterruptedException {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        double rate = loads.stream().filter(l -> l <= 5000).max(Double::compare).orElse(loads.stream().min(Double::compare).orElseThrow());
        System.out.printf(Locale.ROOT, "warm-up: %.0f msg/s for %d s before the measured steps%n", rate, duration.toSeconds());
        sim.setRate(rate);
        Thread.sleep(duration.toMillis());
    }

    /** Runs at the first load (or less) until an interval of 2 s delivers 98 % (twins created, subscriptions made), at most 120 s. */
    private static void primeUntilDelivered(Options o, Simulator sim, LatencyRecorder recorder) throws InterruptedException {
        long end = System.nanoTime() + o.duration("prime-timeout", "120s").toNanos();
        long min = System.nanoTime() + o.duration("prime-min", "10s").toNanos();
        recorder.interval();
        double last = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(2000);
            LatencyRecorder.Interval i = recorder.interval();
            last = i.delivered();
            if (System.nanoTime() > min && last >= 0.98) {
                System.out.printf(Locale.ROOT, "primed: %.1f %% delivered in the last 2 s%n", 100 * last);
                return;
            }
        }
        System.out.printf(Locale.ROOT, "not primed after the timeout: %.1f %% delivered in the last 2 s%n", 100 * last);
    }

    private static void soak(Options o, Path out, String label, Simulator sim, LatencyRecorder recorder, long pid, Duration soak)
            throws IOException, InterruptedException {
        double rate = o.number("soak-rate", 2500);
        Duration every = o.duration("heap-every", "60s");
        sim.setRate(rate);
        System.out.printf(Locale.ROOT, "soak: %.0f msg/s for %d s; every %d s the telemetry pauses until what was sent has arrived, "
                + "and the server's heap is read after a full GC%n", rate, soak.toSeconds(), every.toSeconds());
        System.out.println("     t  published  fraction   p50 ms   p99 ms  heap MB  load");
        long start = System.nanoTime();
        long end = start + soak.toNanos();
        recorder.interval();
        Simulator.Stats s0 = sim.stats();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(every.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            LatencyRecorder.Interval i = recorder.interval();
            Simulator.Stats s1 = sim.stats();
            double published = (s1.telemetry() - s0.telemetry()) / (s1.seconds() - s0.seconds());
            // the live set with the pipeline drained: the telemetry pauses until everything sent has arrived (at most 10 s)
            sim.pause();
            long drainEnd = System.nanoTime() + 10_000_000_000L;
            while (recorder.matched() + recorder.lostTotal() < recorder.sent() && System.nanoTime() < drainEnd) {
                Thread.sleep(50);
            }
            double heap = ServerProbe.heapAfterGcMb(pid);
            sim.resume();
            recorder.interval();
            s0 = sim.stats();
            double t = (System.nanoTime() - start) / 1e9;
            double load = ServerProbe.loadAverage();
            System.out.printf(Locale.ROOT, "%6.0f  %9.0f  %8.4f  %7.2f  %7.2f  %7.1f  %.2f%n", t, published, i.delivered(), i.percentileMillis(50),
                    i.percentileMillis(99), heap, load);
            appendSoak(out, o.mode(), label, t, rate, published, i.delivered(), i.percentileMillis(50), i.percentileMillis(99), heap);
        }
    }

    private static void appendSoak(Path out, String mode, String label, double t, double rate, double published, double fraction,
                                   double p50, double p99, double heap) throws IOException {
        append(out.resolve("soak.csv"), SOAK_HEADER, String.format(Locale.ROOT, "%s,%s,%.0f,%.0f,%.1f,%.5f,%.3f,%.3f,%.1f,%.2f", mode, label, t,
                rate, published, fraction, p50, p99, heap, ServerProbe.loadAverage()));
    }

    static void append(Path file, String header, String line) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
