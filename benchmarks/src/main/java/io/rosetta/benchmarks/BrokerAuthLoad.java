package io.rosetta.benchmarks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Device authentication against the registry through the embedded broker, and what a storm of logins does to the
 * ingest of devices that are already connected, in one run:
 *
 * <ul>
 * <li>{@code --publishers} devices stay connected (their own credentials) and publish {@code --rate} messages/s in all
 * (QoS 1, their own {@code tele/<id>/SENSOR} topics); the service account subscribes to {@code tele/+/SENSOR} and counts
 * what arrives, and its latency (publish to delivery);</li>
 * <li>phases: {@code baseline} (no logins), {@code first-logins} (every other device of the file logs in once: the
 * registry verifies its Argon2id hash), {@code storm} (logins at {@code --storm} per second, round robin over those
 * devices, verified passwords remembered by the registry), {@code after} (no logins again);</li>
 * <li>a login is a raw MQTT 3.1.1 exchange on a fresh TCP connection: CONNECT with the device's username and password,
 * CONNACK, DISCONNECT.</li>
 * </ul>
 *
 * Devices and passwords come from the CSV file that provisioned them ({@code deviceId,model,mqttUsername,mqttPassword}).
 * {@code benchmarks/scripts/broker-auth.sh} prepares a server and runs this.
 */
public final class BrokerAuthLoad {

    record Creds(String deviceId, String username, String password) {
    }

    record Phase(String name, double ingestPerSecond, double ingestP50Ms, double ingestP99Ms, double loginsPerSecond, long accepted,
                 long refused, long failed, double loginP50Ms, double loginP99Ms) {
    }

    private final String host;
    private final int port;
    private final String serviceUser;
    private final String servicePassword;
    private final List<Creds> publishers;
    private final List<Creds> stormers;
    private final int rate;
    private final int stormRate;
    private final int stormThreads;
    private final Duration phase;

    private final Recorder ingestLatency = new Recorder(60_000_000L, 3);
    private final LongAdder delivered = new LongAdder();
    private final Recorder loginLatency = new Recorder(60_000_000L, 3);
    private final LongAdder loginsAccepted = new LongAdder();
    private final LongAdder loginsRefused = new LongAdder();
    private final LongAdder loginsFailed = new LongAdder();

    BrokerAuthLoad(String url, String service, List<Creds> devices, int publisherCount, int rate, int stormRate, int stormThreads,
                   Duration phase) {
        URI u = URI.create(url);
        this.host = u.getHost();
        this.port = u.getPort();
        this.serviceUser = service.substring(0, service.indexOf(':'));
        this.servicePassword = service.substring(service.indexOf(':') + 1);
        if (devices.size() <= publisherCount) {
            throw new IllegalArgumentException("the devices file has " + devices.size() + " devices; more than --publishers are needed");
        }
        this.publishers = devices.subList(0, publisherCount);
        this.stormers = devices.subList(publisherCount, devices.size());
        this.rate = rate;
        this.stormRate = stormRate;
        this.stormThreads = stormThreads;
        this.phase = phase;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        List<Creds> devices = read(Path.of(require(o, "--devices")));
        BrokerAuthLoad load = new BrokerAuthLoad(require(o, "--broker"), require(o, "--service"), devices,
                Integer.parseInt(o.getOrDefault("--publishers", "50")), Integer.parseInt(o.getOrDefault("--rate", "2000")),
                Integer.parseInt(o.getOrDefault("--storm", "1000")), Integer.parseInt(o.getOrDefault("--storm-threads", "8")),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("--phase", "20s").replace("s", ""))));
        List<Phase> phases = load.run();
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-13s %12s %9s %9s %11s %9s %8s %7s %9s %9s", "phase", "ingest msg/s", "p50 ms",
                "p99 ms", "logins/s", "accepted", "refused", "failed", "login p50", "login p99"));
        for (Phase p : phases) {
            System.out.println(String.format(Locale.ROOT, "%-13s %12.0f %9.2f %9.2f %11.0f %9d %8d %7d %9.2f %9.2f", p.name(),
                    p.ingestPerSecond(), p.ingestP50Ms(), p.ingestP99Ms(), p.loginsPerSecond(), p.accepted(), p.refused(), p.failed(),
                    p.loginP50Ms(), p.loginP99Ms()));
        }
        Phase base = phases.get(0);
        Phase storm = phases.get(2);
        System.out.println(String.format(Locale.ROOT, "%nstorm / baseline: ingest %.3f, ingest p99 %.2f ms vs %.2f ms; %.0f logins/s accepted",
                storm.ingestPerSecond() / base.ingestPerSecond(), storm.ingestP99Ms(), base.ingestP99Ms(), storm.loginsPerSecond()));
    }

    List<Phase> run() throws Exception {
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
        List<MqttClient> clients = new ArrayList<>();
        MqttClient service = new MqttClient("tcp://" + host + ":" + port, "bench-service", new MemoryPersistence());
        clients.add(service);
        service.connect(options(serviceUser, servicePassword));
        service.subscribe("tele/+/SENSOR", 0, (topic, message) -> {
            long sent = ByteBuffer.wrap(message.getPayload(), 0, 8).getLong();
            ingestLatency.recordValue(Math.max(0, Math.min(60_000_000L, (System.nanoTime() - sent) / 1000)));
            delivered.increment();
        });
        List<MqttClient> pubs = new ArrayList<>();
        for (Creds c : publishers) {
            MqttClient p = new MqttClient("tcp://" + host + ":" + port, "bench-" + c.deviceId(), new MemoryPersistence());
            p.connect(options(c.username(), c.password()));
            clients.add(p);
            pubs.add(p);
        }
        // every publisher its share of the rate, spread over 10 ms ticks
        AtomicLong published = new AtomicLong();
        AtomicLong publishFailures = new AtomicLong();
        int perTick = Math.max(1, rate / 100);
        AtomicInteger next = new AtomicInteger();
        pacer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                int k = Math.floorMod(next.getAndIncrement(), pubs.size());
                MqttClient p = pubs.get(k);
                byte[] payload = ByteBuffer.allocate(64).putLong(System.nanoTime()).array();
                try {
                    p.getTopic("tele/" + publishers.get(k).deviceId() + "/SENSOR").publish(payload, 1, false);
                    published.incrementAndGet();
                } catch (MqttException e) {
                    publishFailures.incrementAndGet();
                }
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        List<Phase> phases = new ArrayList<>();
        measure(Duration.ofSeconds(5), false, null);
        phases.add(measure(phase, false, "baseline"));
        phases.add(firstLogins());
        phases.add(measure(phase, true, "storm"));
        phases.add(measure(phase, false, "after"));
        pacer.shutdownNow();
        for (MqttClient c : clients) {
            try {
                c.disconnectForcibly(1000, 1000);
                c.close(true);
            } catch (MqttException e) {
                // the broker closed it
            }
        }
        if (publishFailures.get() > 0) {
            System.out.println("publications refused by the client (in-flight window full): " + publishFailures.get() + " of " + published.get());
        }
        return phases;
    }

    /** Every storm device logs in once, at the storm rate at most: the registry verifies each password with Argon2id. */
    private Phase firstLogins() throws InterruptedException {
        reset();
        long t0 = System.nanoTime();
        runLogins(stormers.size(), null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return phase("first-logins", seconds);
    }

    private Phase measure(Duration d, boolean storm, String name) throws InterruptedException {
        reset();
        long t0 = System.nanoTime();
        if (storm) {
            runLogins(Long.MAX_VALUE, d);
        } else {
            Thread.sleep(d.toMillis());
        }
        return name == null ? null : phase(name, (System.nanoTime() - t0) / 1e9);
    }

    private void reset() {
        ingestLatency.getIntervalHistogram();
        loginLatency.getIntervalHistogram();
        delivered.reset();
        loginsAccepted.reset();
        loginsRefused.reset();
        loginsFailed.reset();
    }

    private Phase phase(String name, double seconds) {
        Histogram ingest = ingestLatency.getIntervalHistogram();
        Histogram logins = loginLatency.getIntervalHistogram();
        long accepted = loginsAccepted.sum();
        return new Phase(name, delivered.sum() / seconds, ms(ingest, 50), ms(ingest, 99), accepted / seconds, accepted, loginsRefused.sum(),
                loginsFailed.sum(), ms(logins, 50), ms(logins, 99));
    }

    private static double ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }

    /** Logins paced at {@code stormRate}, on {@code stormThreads} threads, until {@code count} are done or {@code duration} is over. */
    private void runLogins(long count, Duration duration) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(stormThreads);
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long interval = 1_000_000_000L / stormRate;
        AtomicLong slot = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        for (int t = 0; t < stormThreads; t++) {
            pool.execute(() -> {
                while (!stop.get()) {
                    long n = slot.getAndIncrement();
                    if (n >= count) {
                        return;
                    }
                    long due = start + n * interval;
                    if (due >= end) {
                        stop.set(true);
                        return;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    login(stormers.get((int) (n % stormers.size())), n);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration == null ? 600 : duration.toSeconds() + 60, TimeUnit.SECONDS);
    }

    private void login(Creds c, long n) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(host, port), 5000);
            OutputStream out = s.getOutputStream();
            out.write(connect("storm-" + c.deviceId() + "-" + n, c.username(), c.password()));
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type = in.readUnsignedByte();
            int length = in.readUnsignedByte();
            in.readUnsignedByte();
            int code = in.readUnsignedByte();
            if (type != 0x20 || length != 2) {
                loginsFailed.increment();
                return;
            }
            loginLatency.recordValue(Math.min(60_000_000L, (System.nanoTime() - t0) / 1000));
            if (code == 0) {
                loginsAccepted.increment();
                out.write(new byte[] {(byte) 0xE0, 0});
                out.flush();
            } else {
                loginsRefused.increment();
            }
        } catch (IOException e) {
            loginsFailed.increment();
        }
    }

    /** An MQTT 3.1.1 CONNECT: clean session, keep-alive 10 s, username and password. */
    static byte[] connect(String clientId, String username, String password) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pass = password.getBytes(StandardCharsets.UTF_8);
        int remaining = 10 + 2 + id.length + 2 + user.length + 2 + pass.length;
        ByteBuffer b = ByteBuffer.allocate(5 + remaining);
        b.put((byte) 0x10);
        int r = remaining;
        do {
            int digit = r % 128;
            r /= 128;
            b.put((byte) (r > 0 ? digit | 0x80 : digit));
        } while (r > 0);
        b.putShort((short) 4).put("MQTT".getBytes(StandardCharsets.US_ASCII)).put((byte) 4).put((byte) 0xC2).putShort((short) 10);
        b.putShort((short) id.length).put(id).putShort((short) user.length).put(user).putShort((short) pass.length).put(pass);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setMaxInflight(65_000);
        o.setConnectionTimeout(30);
        o.setKeepAliveInterval(60);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        return o;
    }

    static List<Creds> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        int id = -1;
        int user = -1;
        int pass = -1;
        for (int i = 0; i < header.length; i++) {
            switch (header[i].trim()) {
                case "deviceId" -> id = i;
                case "mqttUsername" -> user = i;
                case "mqttPassword" -> pass = i;
                default -> {
                }
            }
        }
        if (id < 0 || user < 0 || pass < 0) {
            throw new IllegalArgumentException(csv + ": the header needs deviceId, mqttUsername and mqttPassword");
        }
        List<Creds> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",");
            out.add(new Creds(cells[id].trim(), cells[user].trim(), cells[pass].trim()));
        }
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        return o;
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + " (usage: --broker tcp://host:port --service user:password "
                    + "--devices devices.csv [--publishers 50] [--rate 2000] [--storm 1000] [--storm-threads 8] [--phase 20s])");
        }
        return v;
    }
}
