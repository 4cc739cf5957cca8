package io.rosetta.benchmarks;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.internal.live.LiveDeliveryConfig;
import io.rosetta.api.internal.live.LiveEventLog;
import io.rosetta.api.internal.live.LiveMetrics;
import io.rosetta.api.internal.live.LiveRoutes;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.internal.journal.Journal;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.search.internal.RqlThingFilters;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Live fan-out: {@code --sse} SSE and {@code --ws} WebSocket subscribers, each with an RQL filter, while
 * {@code --rate} updates per second flow into the twins; reports the latency from the registry write to the
 * event's arrival at a subscriber (percentiles), and whether every event a subscriber selected arrived.
 *
 * <p>The server is the API's live streams as the distribution runs them ({@code LiveRoutes} on the Camel
 * platform-http server on Vert.x, the search's {@code ThingFilters}, a journaled registry with the default
 * fsync policy), in process; the subscribers are Vert.x HTTP and WebSocket clients on two event loops of their
 * own in the same JVM (so they share the machine's cores with the server). Updates are written to the registry
 * as a binding writes them ({@code report}), paced every millisecond. Each thing {@code bench:t-<i>} has
 * {@code attributes/group = "g<i % groups>"}; subscriber {@code k} filters on
 * {@code and(eq(attributes/group,"g<k % groups>"),ge(features/env/properties/temperature,10))} (every update's
 * temperature is in [10, 30)): with {@code --groups} equal to the subscribers and the things, an update reaches one
 * subscriber; with fewer groups, proportionally more. Every subscriber's filter is evaluated for every update.
 * {@code --select ids} is the same-run baseline: the same things selected by {@code ids=}, no RQL evaluated.
 * {@code --delivery-threads} and {@code --delivery-queue} are {@code live.delivery.threads} (1, the default; 0: one per
 * available processor) and {@code live.delivery.queue}.
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.rosetta.benchmarks.LiveFanOut --sse 500 --ws 500 --rate 5000 [--select ids] [--delivery-threads N] [--delivery-queue N]
 * </pre>
 */
public final class LiveFanOut {

    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("bench:bench".getBytes(StandardCharsets.UTF_8));
    private static final String SENT = "\"sentNanos\":";
    /** Latency histogram: 10 µs buckets up to 2 s. */
    private static final int BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 200_000;
    /** Temperatures are uniform in [10, 30): every update passes {@code ge(..., 10)}, so filters and ids select the same events. */
    private static final int THRESHOLD = 10;

    private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS + 1);
    private final LongAdder received = new LongAdder();
    private final LongAdder expected = new LongAdder();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    private LiveFanOut() {
    }

    public static void main(String[] args) throws Exception {
        int sse = intArg(args, "--sse", 500);
        int ws = intArg(args, "--ws", 500);
        int rate = intArg(args, "--rate", 5000);
        int things = intArg(args, "--things", 1000);
        int groups = intArg(args, "--groups", sse + ws);
        int warmup = intArg(args, "--warmup", 10);
        int seconds = intArg(args, "--seconds", 30);
        boolean byIds = "ids".equals(stringArg(args, "--select", "filter"));
        int deliveryThreads = intArg(args, "--delivery-threads", 1);
        int deliveryQueue = intArg(args, "--delivery-queue", LiveEventLog.DEFAULT_LANE_QUEUE);
        new LiveFanOut().run(sse, ws, rate, things, groups, warmup, seconds, byIds, deliveryThreads, deliveryQueue);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private void run(int sseCount, int wsCount, int rate, int thingCount, int groups, int warmup, int seconds, boolean byIds, int deliveryThreads,
            int deliveryQueue)
            throws Exception {
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        Path journal = Files.createTempDirectory("rosetta-live-fanout");
        TwinRegistryImpl registry = TwinRegistryImpl.withJournal(journal, Journal.FsyncPolicy.INTERVAL, Long.MAX_VALUE);
        ThingId[] ids = new ThingId[thingCount];
        for (int i = 0; i < thingCount; i++) {
            Thing t = Thing.fromJson(Json.parseObject("{\"thingId\":\"bench:t-" + i + "\",\"attributes\":{\"group\":\"g" + (i % groups)
                    + "\"},\"features\":{\"env\":{\"properties\":{\"temperature\":20,\"sentNanos\":0}}}}"), null);
            ids[i] = registry.create(t).thingId();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Vertx serverVertx = Vertx.vertx();
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("vertx", serverVertx);
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost("127.0.0.1");
        http.setBindPort(port);
        camel.getRegistry().bind("platform-http-server-configuration", http);
        camel.addService(new VertxPlatformHttpServer(http), true, true);
        camel.start();
        LiveConfig config = config();
        LiveMetrics metrics = new LiveMetrics();
        LiveEventLog log = new LiveEventLog(registry, config, delivery(deliveryThreads, deliveryQueue));
        Authenticator authenticator = header -> {
            if (!AUTH.equals(header)) {
                throw Authenticator.unauthenticated("The credentials are not valid.");
            }
            return new ApiUser("bench", Set.of("admin"));
        };
        LiveRoutes routes = new LiveRoutes(registry, authenticator, log, metrics, config);
        routes.setThingFilters(new RqlThingFilters());
        camel.addRoutes(routes);

        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient httpClient = clientVertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(sseCount + 10).setKeepAlive(true));
        WebSocketClient wsClient = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(wsCount + 10));
        int subscribers = sseCount + wsCount;
        CountDownLatch open = new CountDownLatch(subscribers);
        AtomicInteger failed = new AtomicInteger();
        for (int k = 0; k < subscribers; k++) {
            String selection;
            if (byIds) {
                // the baseline: the same things selected by id, no RQL evaluated
                StringBuilder list = new StringBuilder();
                for (int i = k % groups; i < thingCount; i += groups) {
                    list.append(list.isEmpty() ? "" : ",").append(ids[i]);
                }
                selection = "ids=" + URLEncoder.encode(list.toString(), StandardCharsets.UTF_8);
            } else {
                selection = "filter=" + URLEncoder.encode("and(eq(attributes/group,\"g" + (k % groups) + "\"),ge(features/env/properties/temperature,"
                        + THRESHOLD + "))", StandardCharsets.UTF_8);
            }
            if (k < sseCount) {
                openSse(httpClient, port, selection, open, failed);
            } else {
                openWs(wsClient, port, selection, open, failed);
            }
            if (k % 50 == 49) {
                // a little at a time: the server authenticates each one off its event loop
                Thread.sleep(20);
            }
        }
        if (!open.await(60, TimeUnit.SECONDS) || failed.get() > 0) {
            throw new IllegalStateException("subscribers not open: " + open.getCount() + " pending, " + failed.get() + " failed");
        }
        // matching subscribers per group
        int[] perGroup = new int[groups];
        for (int k = 0; k < subscribers; k++) {
            perGroup[k % groups]++;
        }
        System.out.printf(Locale.ROOT, "%d SSE + %d WebSocket subscribers open (server: %d SSE, %d WS), selecting by %s; %d things, %d groups;"
                        + " %d delivery threads%n", sseCount, wsCount, metrics.sseOpen(), metrics.wsOpen(), byIds ? "ids (baseline)" : "RQL filter",
                thingCount, groups, log.laneThreadCount());

        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-writer");
            t.setDaemon(true);
            return t;
        });
        int perTick = Math.max(1, rate / 1000);
        SplittableRandom random = new SplittableRandom(42);
        LongAdder written = new LongAdder();
        JsonPointer path = JsonPointer.of("/features/env/properties");
        writer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                int n = random.nextInt(thingCount);
                double temperature = 10 + random.nextDouble() * 20;
                long now = System.nanoTime();
                registry.report(ids[n], path, Json.parse("{\"temperature\":" + temperature + ",\"sentNanos\":" + now + "}"),
                        System.currentTimeMillis());
                written.increment();
                if (now >= windowStart && now <= windowEnd && temperature >= THRESHOLD) {
                    expected.add(perGroup[(n % groups)]);
                }
            }
        }, 1, 1, TimeUnit.MILLISECONDS);

        Thread.sleep(warmup * 1000L);
        long writtenBefore = written.sum();
        long droppedBefore = registry.stats().eventsDropped();
        long start = System.nanoTime();
        long elapsed = seconds * 1_000_000_000L;
        // the measurement covers the events written in [start, start + elapsed], whenever they arrive
        windowEnd = start + elapsed;
        windowStart = start;
        Thread.sleep(seconds * 1000L);
        long writes = written.sum() - writtenBefore;
        // let the last events arrive before counting
        Thread.sleep(2000);
        writer.shutdownNow();

        long[] counts = new long[BUCKETS + 1];
        long total = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            counts[i] = histogram.get(i);
            total += counts[i];
        }
        System.out.printf(Locale.ROOT, "updates: %d in %.1f s = %.0f/s; events expected %d, received %d (%.4f); registry events dropped %d;"
                        + " slow clients closed: SSE %d, WS %d; delivery lane overflows %d%n",
                writes, elapsed / 1e9, writes / (elapsed / 1e9), expected.sum(), received.sum(), received.sum() / (double) Math.max(1, expected.sum()),
                registry.stats().eventsDropped() - droppedBefore, metrics.sseSlowClosed(), metrics.wsSlowClosed(), log.laneOverflows());
        System.out.printf(Locale.ROOT, "latency (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %s  (%d samples, %.0f deliveries/s)%n",
                percentile(counts, total, 0.50), percentile(counts, total, 0.90), percentile(counts, total, 0.99),
                percentile(counts, total, 0.999), maxText(counts), total, total / (elapsed / 1e9));
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());

        httpClient.close();
        wsClient.close();
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        camel.stop();
        log.close();
        serverVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        registry.close();
        try (var files = Files.walk(journal)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void openSse(HttpClient client, int port, String selection, CountDownLatch open, AtomicInteger failed) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI("/api/2/things?" + selection)
                .addHeader("Accept", "text/event-stream").addHeader("Authorization", AUTH);
        client.request(options).compose(r -> r.send()).onComplete(ar -> {
            if (ar.failed() || ar.result().statusCode() != 200) {
                failed.incrementAndGet();
                open.countDown();
                return;
            }
            StringBuilder line = new StringBuilder();
            ar.result().handler(buffer -> onSseChunk(buffer, line));
            open.countDown();
        });
    }

    private void onSseChunk(Buffer buffer, StringBuilder line) {
        long now = System.nanoTime();
        String text = buffer.toString(StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (line.length() > 6 && line.charAt(0) == 'd' && line.indexOf("data: ") == 0) {
                    record(line, now);
                }
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    private void openWs(WebSocketClient client, int port, String selection, CountDownLatch open, AtomicInteger failed) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/2")
                .addHeader("Authorization", AUTH);
        client.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                failed.incrementAndGet();
                open.countDown();
                return;
            }
            var socket = ar.result();
            socket.textMessageHandler(text -> {
                if (text.startsWith("START-SEND-EVENTS:ACK")) {
                    open.countDown();
                } else if (text.startsWith("{")) {
                    if (text.contains("/things/twin/errors")) {
                        failed.incrementAndGet();
                        open.countDown();
                    } else {
                        record(text, System.nanoTime());
                    }
                }
            });
            socket.writeTextMessage("START-SEND-EVENTS?" + selection);
        });
    }

    private void record(CharSequence text, long now) {
        String s = text.toString();
        int at = s.indexOf(SENT);
        if (at < 0) {
            return;
        }
        int i = at + SENT.length();
        long sent = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            sent = sent * 10 + (s.charAt(i++) - '0');
        }
        // the events written inside the measurement window, whenever they arrive
        if (sent < windowStart || sent > windowEnd) {
            return;
        }
        received.increment();
        long bucket = (now - sent) / BUCKET_NANOS;
        histogram.incrementAndGet((int) Math.min(Math.max(bucket, 0), BUCKETS));
    }

    private static double percentile(long[] counts, long total, double p) {
        long rank = (long) Math.ceil(total * p);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && rank > 0) {
                return (i + 1) * (BUCKET_NANOS / 1e6);
            }
        }
        return Double.NaN;
    }

    private static String maxText(long[] counts) {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] > 0) {
                return i == BUCKETS ? "> 2000" : String.format(Locale.ROOT, "%.2f", (i + 1) * (BUCKET_NANOS / 1e6));
            }
        }
        return "-";
    }

    private static LiveDeliveryConfig delivery(int threads, int queue) {
        return new LiveDeliveryConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LiveDeliveryConfig.class;
            }

            @Override
            public int live_delivery_threads() {
                return threads;
            }

            @Override
            public int live_delivery_queue() {
                return queue;
            }
        };
    }

    private static LiveConfig config() {
        return new LiveConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LiveConfig.class;
            }

            @Override
            public int live_resume_events() {
                return 10_000;
            }

            @Override
            public int live_client_buffer() {
                return 4096;
            }

            @Override
            public int live_ws_max_pending() {
                return 256;
            }

            @Override
            public int live_ws_max_message_bytes() {
                return 262_144;
            }
        };
    }
}
