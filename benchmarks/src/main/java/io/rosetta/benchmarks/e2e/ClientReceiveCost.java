package io.rosetta.benchmarks.e2e;

import io.rosetta.benchmarks.simulator.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What receiving a message costs an MQTT client: Eclipse Paho 1.2.5 (the client of Rosetta's MQTT binding) against the
 * Vert.x MQTT client (Netty's MQTT codec: decodes from the connection's buffer, and calls the handler, on its event
 * loop). Both subscribe to {@code #} on the same broker and receive the same stream from the device simulator at the
 * same time; each handler takes the topic and a copy of the payload and counts. The CPU is read per thread (Paho's
 * receiver, callback, sender and ping threads; the Vert.x client's event loop), so the simulator in the same JVM does
 * not count; garbage collection, shared by all, is not counted for either.
 *
 * <pre>java -cp benchmarks.jar io.rosetta.benchmarks.e2e.ClientReceiveCost run --broker tcp://127.0.0.1:1883 --rate 5000</pre>
 */
public final class ClientReceiveCost {

    static final String USAGE = """
            Usage: java -cp benchmarks.jar io.rosetta.benchmarks.e2e.ClientReceiveCost run [options]
              --broker URL            the broker (tcp://127.0.0.1:1883)
              --devices N --connections C --dialects LIST    the simulated fleet (2000, 4, all), QoS 0
              --rate R                offered msg/s (5000)
              --warmup D --seconds D  receiving before the measurement, then measured (20s, 60s)
            """;

    /** As large as Paho takes: the simulated Zigbee2MQTT bridges retain device lists of several MB. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private ClientReceiveCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !"run".equals(args[0]) || args.length % 2 == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Result r = measure(new MqttEndToEnd.Options("run", values), System.out);
        System.out.println("client     received msg/s   CPU s   CPU s per 1k msgs   µs per msg");
        print("Paho", r.pahoMessages(), r.seconds(), r.pahoCpuSeconds());
        print("Vert.x", r.vertxMessages(), r.seconds(), r.vertxCpuSeconds());
        System.out.printf(Locale.ROOT, "Vert.x ÷ Paho, CPU per message: %.2f%n", r.vertxToPaho());
        System.exit(0);
    }

    /** Messages each client received in the measured window, and the CPU seconds of its threads. */
    record Result(double seconds, long pahoMessages, double pahoCpuSeconds, long vertxMessages, double vertxCpuSeconds) {

        double vertxToPaho() {
            return (vertxCpuSeconds / vertxMessages) / (pahoCpuSeconds / pahoMessages);
        }
    }

    /** Connects both clients and the simulator, receives for the warm-up, then measures. */
    static Result measure(MqttEndToEnd.Options o, PrintStream log) throws Exception {
        double rate = o.number("rate", 5000);
        URI broker = URI.create(o.get("broker", "tcp://127.0.0.1:1883"));
        String suffix = Long.toString(System.nanoTime() & 0xffffff, 36);
        Counter paho = new Counter();
        String pahoId = "cost-paho-" + suffix;
        Counter vertx = new Counter();
        AtomicBoolean closing = new AtomicBoolean();
        Vertx v = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        MqttClient vertxClient = MqttClient.create(v, new MqttClientOptions().setClientId("cost-vertx-" + suffix)
                .setCleanSession(true).setKeepAliveInterval(60).setMaxMessageSize(MAX_MESSAGE_BYTES));
        vertxClient.publishHandler(m -> vertx.count(m.topicName(), m.payload().getBytes()));
        vertxClient.exceptionHandler(e -> log.println("Vert.x MQTT: " + e));
        vertxClient.closeHandler(x -> {
            if (!closing.get()) {
                log.println("Vert.x MQTT lost its connection");
            }
        });
        try (CeilingSubscriber pahoClient = new CeilingSubscriber(broker.toString(), 0, pahoId, paho::count)) {
            vertxClient.connect(broker.getPort(), broker.getHost()).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            vertxClient.subscribe("#", 0).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            return measure(o, rate, broker, log, t -> t.getName().contains(pahoId), paho, vertx);
        } finally {
            closing.set(true);
            vertxClient.disconnect();
            v.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** With both clients subscribed: runs the simulator, warms up, measures. */
    private static Result measure(MqttEndToEnd.Options o, double rate, URI broker, PrintStream log, Predicate<Thread> pahoThreads,
                                  Counter paho, Counter vertx) throws Exception {
        // the Vert.x client reads, decodes and calls its handler on one event loop thread: the one its handler runs on
        Predicate<Thread> vertxThreads = t -> t == vertx.thread;
        try (Simulator sim = new Simulator(MqttEndToEnd.simulatorOptions(o, rate))) {
            log.printf(Locale.ROOT, "clients: %d devices, %.0f msg/s offered, broker %s%n", sim.devices().size(), rate, broker);
            sim.connectAndAnnounce();
            sim.startTelemetry();
            sim.setRate(rate);
            Thread.sleep(o.duration("warmup", "20s").toMillis());
            long p0 = paho.messages.sum();
            long v0 = vertx.messages.sum();
            double pc0 = cpuSeconds(pahoThreads);
            double vc0 = cpuSeconds(vertxThreads);
            long t0 = System.nanoTime();
            Thread.sleep(o.duration("seconds", "60s").toMillis());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long pn = paho.messages.sum() - p0;
            long vn = vertx.messages.sum() - v0;
            double pc = cpuSeconds(pahoThreads) - pc0;
            double vc = cpuSeconds(vertxThreads) - vc0;
            return new Result(seconds, pn, pc, vn, vc);
        }
    }

    private static void print(String client, long messages, double seconds, double cpu) {
        System.out.printf(Locale.ROOT, "%-8s %12.0f %9.3f %19.4f %12.2f%n", client, messages / seconds, cpu, cpu / messages * 1000,
                cpu / messages * 1e6);
    }

    /** CPU seconds of the live threads that match. */
    static double cpuSeconds(Predicate<Thread> threads) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (threads.test(t)) {
                long cpu = mx.getThreadCpuTime(t.getId());
                nanos += Math.max(cpu, 0);
            }
        }
        return nanos / 1e9;
    }

    /** What each handler does: takes the topic and the payload, and counts; notes the thread it first ran on. */
    static final class Counter {
        final LongAdder messages = new LongAdder();
        final LongAdder bytes = new LongAdder();
        volatile Thread thread;

        void count(String topic, byte[] payload) {
            if (thread == null) {
                thread = Thread.currentThread();
            }
            messages.increment();
            bytes.add(topic.length() + payload.length);
        }
    }
}
