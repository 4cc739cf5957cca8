package io.rosetta.benchmarks.headline;

import io.rosetta.benchmarks.e2e.LatencyRecorder;
import io.rosetta.benchmarks.e2e.MarkTracker;
import io.rosetta.benchmarks.e2e.MqttEndToEnd;
import io.rosetta.benchmarks.e2e.ServerProbe;
import io.rosetta.benchmarks.simulator.Simulator;
import io.rosetta.benchmarks.simulator.SimulatorOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Node-RED side of the headline comparison: the device simulator publishes the same fleet at the same
 * offered loads as {@code MqttEndToEnd rosetta}; a Node-RED flow (benchmarks/node-red/flow.json) subscribes,
 * parses, maps the fields and pushes each update to a WebSocket; this class follows that WebSocket with the
 * same {@link MarkTracker} and the same sustained-step rule, and appends rows of the same shape (mode
 * {@code node-red}) to {@code steps.csv}.
 *
 * <pre>java -cp benchmarks.jar io.rosetta.benchmarks.headline.NodeRedEndToEnd --broker tcp://127.0.0.1:1883 \
 *     --ws ws://127.0.0.1:1880/ws/twins --server-pid PID --devices 2000 --loads 1000,2500,5000 --out DIR</pre>
 */
public final class NodeRedEndToEnd {

    static final String STEPS_HEADER = "mode,label,offered_msg_s,published_msg_s,delivered_msg_s,delivered_fraction,p50_ms,p90_ms,p99_ms,"
            + "max_ms,lost,server_cpu_s_per_1k,broker_cpu_s_per_1k,load1_start,load1_end,sustained,steal_percent";

    private NodeRedEndToEnd() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad option " + args[i]
                        + "; options: --broker --ws --devices --connections --dialects --qos --loads --warmup --step --stop-after "
                        + "--server-pid --broker-pid --out --label --jit-warmup");
                System.exit(2);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        System.exit(run(o));
    }

    static int run(Map<String, String> o) throws Exception {
        Path out = Path.of(o.getOrDefault("out", "benchmarks/target/headline"));
        Files.createDirectories(out);
        List<Double> loads = new ArrayList<>();
        for (String s : o.getOrDefault("loads", "1000,2500,5000").split(",")) {
            loads.add(Double.parseDouble(s.trim()));
        }
        long serverPid = Long.parseLong(o.getOrDefault("server-pid", "0"));
        long brokerPid = Long.parseLong(o.getOrDefault("broker-pid", "0"));
        String label = o.getOrDefault("label", java.time.Instant.now().toString());
        SimulatorOptions so = SimulatorOptions.parse(new String[] {"--broker", o.getOrDefault("broker", "tcp://127.0.0.1:1883"),
            "--devices", o.getOrDefault("devices", "2000"), "--connections", o.getOrDefault("connections", "4"),
            "--dialects", o.getOrDefault("dialects", "zigbee2mqtt,tasmota,shelly,generic"), "--qos", o.getOrDefault("qos", "0"),
            "--rate", Double.toString(Math.min(loads.get(0), 1000)), "--report", "0", "--settle", "2s",
            "--client-id", "nr-sim-" + Long.toString(System.nanoTime() & 0xffffff, 36)});
        MarkTracker tracker = new MarkTracker();
        Simulator sim = new Simulator(so);
        sim.devices().forEach(tracker::register);
        sim.setListener(tracker::sent);
        long warmup = SimulatorOptions.duration(o.getOrDefault("warmup", "5s")).toMillis();
        long step = SimulatorOptions.duration(o.getOrDefault("step", "15s")).toMillis();
        int stopAfter = Integer.parseInt(o.getOrDefault("stop-after", "2"));
        System.out.printf(Locale.ROOT, "node-red: %d devices (%s), %d connections, QoS %d, broker %s, WebSocket %s%n", so.devices(),
                String.join(",", so.dialects()), so.connections(), so.qos(), so.broker(), o.get("ws"));
        try (WebSocketSubscriber ws = new WebSocketSubscriber(URI.create(o.getOrDefault("ws", "ws://127.0.0.1:1880/ws/twins")), tracker)) {
            sim.connectAndAnnounce();
            sim.startTelemetry();
            prime(tracker);
            MqttEndToEnd.warmUp(sim, loads, SimulatorOptions.duration(o.getOrDefault("jit-warmup", "0s")));
            System.out.println("offered  published  delivered  fraction   p50 ms   p90 ms   p99 ms   max ms  server-cpu/1k  load  steal");
            int failures = 0;
            for (double load : loads) {
                sim.setRate(load);
                Thread.sleep(warmup);
                tracker.interval();
                Simulator.Stats s0 = sim.stats();
                double cpu0 = ServerProbe.cpuSeconds(serverPid);
                double bcpu0 = ServerProbe.cpuSeconds(brokerPid);
                double load0 = ServerProbe.loadAverage();
                ServerProbe.MachineTicks machine0 = ServerProbe.MachineTicks.now();
                Thread.sleep(step);
                LatencyRecorder.Interval i = tracker.interval();
                Simulator.Stats s1 = sim.stats();
                double seconds = s1.seconds() - s0.seconds();
                double published = (s1.telemetry() - s0.telemetry()) / seconds;
                double delivered = published * (Double.isNaN(i.delivered()) ? 0 : i.delivered());
                double perK = (s1.telemetry() - s0.telemetry()) / 1000.0;
                double cpu = (ServerProbe.cpuSeconds(serverPid) - cpu0) / perK;
                double bcpu = (ServerProbe.cpuSeconds(brokerPid) - bcpu0) / perK;
                double load1 = ServerProbe.loadAverage();
                double steal = ServerProbe.MachineTicks.now().stealPercentSince(machine0);
                // the rule of MqttEndToEnd: published ≥ 95 % of the offer, ≥ 97 % arrived, ≤ 0.5 % lost, p99 < 1 s
                boolean sustained = published >= 0.95 * load && i.delivered() >= 0.97 && i.lost() <= 0.005 * i.sent()
                        && i.percentileMillis(99) < 1000;
                System.out.printf(Locale.ROOT, "%7.0f  %9.0f  %9.0f  %8.4f  %7.2f  %7.2f  %7.2f  %7.1f  %13.3f  %.2f→%.2f  %.1f %%%s%n", load,
                        published, delivered, i.delivered(), i.percentileMillis(50), i.percentileMillis(90), i.percentileMillis(99),
                        i.maxMillis(), cpu, load0, load1, steal, sustained ? "" : "  NOT SUSTAINED");
                Csv.append(out.resolve("steps.csv"), STEPS_HEADER, String.format(Locale.ROOT,
                        "%s,%s,%.0f,%.1f,%.1f,%.5f,%.3f,%.3f,%.3f,%.3f,%d,%.4f,%.4f,%.2f,%.2f,%s,%.2f", "node-red", label, load, published,
                        delivered, i.delivered(), i.percentileMillis(50), i.percentileMillis(90), i.percentileMillis(99), i.maxMillis(),
                        i.lost(), cpu, bcpu, load0, load1, sustained, steal));
                failures = sustained ? 0 : failures + 1;
                if (failures >= stopAfter) {
                    break;
                }
            }
            System.out.printf(Locale.ROOT, "simulator: %s; receiver: %d frames, matched %d of %d, %d not recognized, %d malformed%n",
                    sim.stats().line(), ws.frames.sum(), tracker.matched(), tracker.sent(), tracker.unmatched(), ws.malformed.sum());
            if (ws.failure() != null) {
                System.out.println("WebSocket ended: " + ws.failure());
                return 1;
            }
            return 0;
        } finally {
            sim.close();
        }
    }

    /** Like MqttEndToEnd: at the priming rate until 98 % of a 2 s window arrives (at least 10 s, at most 120 s). */
    private static void prime(MarkTracker tracker) throws InterruptedException {
        long end = System.nanoTime() + 120_000_000_000L;
        long min = System.nanoTime() + 10_000_000_000L;
        tracker.interval();
        double last = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(2000);
            last = tracker.interval().delivered();
            if (System.nanoTime() > min && last >= 0.98) {
                System.out.printf(Locale.ROOT, "primed: %.1f %% delivered in the last 2 s%n", 100 * last);
                return;
            }
        }
        System.out.printf(Locale.ROOT, "not primed after 120 s: %.1f %% delivered in the last 2 s%n", 100 * last);
    }
}
