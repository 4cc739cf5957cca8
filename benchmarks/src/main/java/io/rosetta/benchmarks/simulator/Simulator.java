package io.rosetta.benchmarks.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The device simulator: a mixed fleet of devices in every dialect the MQTT binding reads, publishing
 * realistic payloads at a given total rate over a few MQTT connections.
 *
 * <ol>
 * <li>connects (each Sparkplug edge node with its NDEATH as last will, the first connection with the
 *     Zigbee2MQTT bridge's offline state), subscribes to the devices' command topics;</li>
 * <li>announces: Zigbee2MQTT {@code bridge/devices}, availability, Tasmota LWT and INFO, Shelly
 *     {@code NotifyFullStatus}, Homie descriptions, Home Assistant discovery configs, Sparkplug
 *     NBIRTH/DBIRTH — and waits until they are written;</li>
 * <li>publishes telemetry paced by a {@link TokenBucket} refilled every millisecond on one scheduled
 *     thread, round-robin over the devices, so every device reports at rate / devices;</li>
 * <li>answers commands with the device's new state, on a thread of its own;</li>
 * <li>on close, publishes every device's offline state and disconnects.</li>
 * </ol>
 */
public final class Simulator implements AutoCloseable {

    /** Told of every telemetry message just before it is handed to the connection (latency measurements). */
    @FunctionalInterface
    public interface SendListener {
        void sent(SimDevice device, Message message, long nanoTime);
    }

    private final SimulatorOptions options;
    private final Fleet fleet;
    private final List<Connection> connections = new ArrayList<>();
    private final ScheduledExecutorService pacer;
    private final ExecutorService commandThread;
    private final TokenBucket bucket;
    private final AtomicLong commandsAnswered = new AtomicLong();
    private final AtomicLong commandsRefused = new AtomicLong();
    private final AtomicLong commandsUnrouted = new AtomicLong();
    private final AtomicLong commandsDropped = new AtomicLong();
    private final AtomicLong telemetry = new AtomicLong();
    private final AtomicLong windowFull = new AtomicLong();
    private volatile SendListener listener = (d, m, t) -> { };
    private volatile String lastRefusal;
    private ScheduledFuture<?> ticking;
    private int cursor;
    private long startNanos;
    private volatile boolean closed;
    private volatile boolean paused;

    public Simulator(SimulatorOptions options) {
        this.options = options;
        this.fleet = new Fleet(options);
        this.bucket = new TokenBucket(options.rate(), System.nanoTime());
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "sim-pacer"));
        p.setRemoveOnCancelPolicy(true);
        this.pacer = p;
        this.commandThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
                r -> daemon(r, "sim-commands"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public Fleet fleet() {
        return fleet;
    }

    public List<SimDevice> devices() {
        return fleet.devices();
    }

    public void setListener(SendListener l) {
        this.listener = l == null ? (d, m, t) -> { } : l;
    }

    /** Connects, subscribes, announces every device and waits until the announcements are written. */
    public void connectAndAnnounce() throws MqttException, InterruptedException {
        for (int i = 0; i < fleet.connectionCount(); i++) {
            Connection c = new Connection(i, options, fleet.will(i));
            c.onReconnect(this::reannounce);
            connections.add(c);
            c.connect();
        }
        if (options.commands()) {
            Connection first = connections.get(0);
            first.onMessage(this::onCommand);
            first.subscribe(fleet.commandFilters().toArray(String[]::new), 1);
        }
        for (Map.Entry<Integer, List<Message>> e : fleet.announcements().entrySet()) {
            Connection c = connections.get(e.getKey());
            for (Message m : e.getValue()) {
                if (!c.acquire()) {
                    throw new IllegalStateException("connection " + c.index() + " took no message for 30 s: " + c.lastError());
                }
                c.publish(m, 1);
            }
        }
        for (Connection c : connections) {
            if (!c.drain(60_000)) {
                throw new IllegalStateException("announcements on connection " + c.index() + " not acknowledged in 60 s: " + c.lastError());
            }
        }
        if (!options.settle().isZero()) {
            Thread.sleep(options.settle().toMillis()); // a tool's pause: subscribers that follow discovery subscribe meanwhile
        }
    }

    /** Starts the telemetry. */
    public synchronized void startTelemetry() {
        if (ticking == null) {
            startNanos = System.nanoTime();
            bucket.restart(startNanos);
            ticking = pacer.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        }
    }

    public void start() throws MqttException, InterruptedException {
        connectAndAnnounce();
        startTelemetry();
    }

    /** Stops the telemetry until {@link #resume()} (devices stay connected and answer commands). */
    public void pause() {
        paused = true;
    }

    /** Resumes the telemetry, at the rate set, without a burst for the time paused. */
    public void resume() {
        pacer.execute(() -> {
            bucket.restart(System.nanoTime());
            paused = false;
        });
    }

    /** Changes the total rate while running. */
    public void setRate(double messagesPerSecond) {
        pacer.execute(() -> bucket.setRate(messagesPerSecond));
    }

    private void tick() {
        if (paused) {
            return;
        }
        try {
            bucket.refill(System.nanoTime());
            List<SimDevice> devices = fleet.devices();
            int n = devices.size();
            while (bucket.tokens() >= 1 && !closed) {
                SimDevice d = devices.get(cursor);
                Connection c = connections.get(d.connection());
                if (!c.tryAcquire()) {
                    windowFull.incrementAndGet();
                    return;
                }
                bucket.tryTake();
                cursor = cursor + 1 == n ? 0 : cursor + 1;
                synchronized (d.lock()) {
                    Message m = d.telemetry();
                    listener.sent(d, m, System.nanoTime());
                    c.publish(m, options.qos());
                }
                telemetry.incrementAndGet();
            }
        } catch (RuntimeException e) {
            lastRefusal = "pacer: " + e;
        }
    }

    private void onCommand(String topic, byte[] payload) {
        try {
            commandThread.execute(() -> command(topic, payload));
        } catch (RejectedExecutionException e) {
            commandsDropped.incrementAndGet();
        }
    }

    /** Executes a command and publishes the device's answer. */
    void command(String topic, byte[] payload) {
        SimDevice d = fleet.deviceFor(topic);
        SparkplugEdgeNode node = d == null ? fleet.nodeFor(topic) : null;
        if (d == null && node == null) {
            commandsUnrouted.incrementAndGet(); // another client's topic under a command filter (a Shelly answer on rosetta/rpc)
            return;
        }
        Object lock = d != null ? d.lock() : node;
        Connection c = connections.get(d != null ? d.connection() : node.connection());
        try {
            synchronized (lock) {
                List<Message> answer = d != null ? d.command(topic, payload) : node.command(payload);
                for (Message m : answer) {
                    if (!c.acquire()) {
                        throw new IllegalStateException("connection " + c.index() + " is stuck");
                    }
                    c.publish(m, 1);
                }
            }
            commandsAnswered.incrementAndGet();
        } catch (IllegalArgumentException e) {
            commandsRefused.incrementAndGet();
            lastRefusal = topic + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reannounce(int connection) {
        commandThread.execute(() -> {
            try {
                if (connection == 0 && options.commands()) {
                    connections.get(0).subscribe(fleet.commandFilters().toArray(String[]::new), 1);
                }
                Connection c = connections.get(connection);
                for (Message m : fleet.announcements(connection)) {
                    if (c.acquire()) {
                        c.publish(m, 1);
                    }
                }
            } catch (MqttException e) {
                lastRefusal = "re-subscribe after reconnect: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Counters so far. */
    public Stats stats() {
        long sent = 0;
        long bytes = 0;
        long failed = 0;
        for (Connection c : connections) {
            sent += c.sent.sum();
            bytes += c.bytes.sum();
            failed += c.failed.sum();
        }
        double seconds = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
        return new Stats(seconds, telemetry.get(), sent, bytes, failed, bucket.lagged(), windowFull.get(), commandsAnswered.get(),
                commandsRefused.get(), commandsUnrouted.get(), commandsDropped.get(), lastRefusal);
    }

    /** What the simulator did: telemetry messages, all messages written, errors, and what it could not do in time. */
    public record Stats(double seconds, long telemetry, long sent, long bytes, long errors, long lagged, long windowFull,
                        long commandsAnswered, long commandsRefused, long commandsUnrouted, long commandsDropped, String lastProblem) {

        public double rate() {
            return seconds > 0 ? telemetry / seconds : 0;
        }

        public String line() {
            return String.format(Locale.ROOT, "t=%.0fs telemetry=%d (%.0f msg/s) written=%d bytes=%d errors=%d lagged=%d commands=%d refused=%d",
                    seconds, telemetry, rate(), sent, bytes, errors, lagged, commandsAnswered, commandsRefused);
        }
    }

    /** Stops the telemetry, publishes every device's offline state, disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticking != null) {
            ticking.cancel(false);
        }
        pacer.shutdown();
        commandThread.shutdown();
        try {
            pacer.awaitTermination(2, TimeUnit.SECONDS);
            commandThread.awaitTermination(2, TimeUnit.SECONDS);
            for (Map.Entry<Integer, List<Message>> e : fleet.goodbyes().entrySet()) {
                Connection c = e.getKey() < connections.size() ? connections.get(e.getKey()) : null;
                if (c == null || !c.isConnected()) {
                    continue;
                }
                for (Message m : e.getValue()) {
                    if (c.acquire()) {
                        c.publish(m, 1);
                    }
                }
            }
            for (Connection c : connections) {
                c.drain(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : connections) {
            c.close();
        }
    }

    /** Cuts every connection without saying goodbye: the broker publishes the last wills (tests). */
    void kill() {
        closed = true;
        if (ticking != null) {
            ticking.cancel(false);
        }
        pacer.shutdownNow();
        commandThread.shutdownNow();
        for (Connection c : connections) {
            c.kill();
        }
    }

    public static void main(String[] args) throws Exception {
        SimulatorOptions o;
        try {
            o = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) {
                System.err.println(e.getMessage());
            }
            System.err.print(SimulatorOptions.USAGE);
            System.exit("help".equals(e.getMessage()) ? 0 : 2);
            return;
        }
        Simulator sim = new Simulator(o);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!sim.closed) {
                sim.close();
                System.out.println("interrupted: " + sim.stats().line());
            }
        }, "sim-shutdown"));
        System.out.printf(Locale.ROOT, "simulating %d devices (%s) at %.0f msg/s over %d connections to %s, QoS %d%n",
                o.devices(), summary(sim.fleet()), o.rate(), sim.fleet().connectionCount(), o.broker(), o.qos());
        long t0 = System.nanoTime();
        try {
            sim.connectAndAnnounce();
        } catch (MqttException | IllegalStateException e) {
            System.err.println("cannot connect to or announce on " + o.broker() + ": " + e.getMessage());
            sim.kill();
            System.exit(1);
        }
        System.out.printf(Locale.ROOT, "announced in %.1f s; publishing telemetry%s%n", (System.nanoTime() - t0) / 1e9,
                o.duration().isZero() ? " until interrupted" : " for " + o.duration().toSeconds() + " s");
        sim.startTelemetry();
        long end = o.duration().isZero() ? Long.MAX_VALUE : System.nanoTime() + o.duration().toNanos();
        long reportEvery = o.report().isZero() ? Long.MAX_VALUE : o.report().toNanos();
        long nextReport = System.nanoTime() + reportEvery;
        while (System.nanoTime() < end) {
            long wait = Math.min(end, nextReport) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000_000L));
            }
            if (System.nanoTime() >= nextReport) {
                System.out.println(sim.stats().line());
                nextReport += reportEvery;
            }
        }
        Stats s = sim.stats();
        sim.close();
        System.out.println("done: " + s.line());
        System.out.printf(Locale.ROOT, "summary: sent=%d telemetry messages in %.1f s, achieved %.1f msg/s of %.1f offered (%.1f%%), "
                        + "errors=%d, lagged=%d, commands answered=%d refused=%d%s%n",
                s.telemetry(), s.seconds(), s.rate(), o.rate(), 100 * s.rate() / o.rate(), s.errors(), s.lagged(), s.commandsAnswered(),
                s.commandsRefused(), s.lastProblem() == null ? "" : ", last problem: " + s.lastProblem());
        System.exit(s.errors() > 0 ? 1 : 0);
    }

    static String summary(Fleet fleet) {
        Map<String, Long> byDialect = new java.util.TreeMap<>();
        for (SimDevice d : fleet.devices()) {
            byDialect.merge(d.dialect(), 1L, Long::sum);
        }
        StringBuilder b = new StringBuilder();
        byDialect.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }
}
