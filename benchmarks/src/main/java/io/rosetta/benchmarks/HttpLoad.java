package io.rosetta.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A keep-alive HTTP/1.1 load generator in the manner of wrk: a few threads, each with a selector and its share of
 * the connections; every connection sends a request, reads the whole response (Content-Length or chunked) and sends
 * the next, for a warm-up and then a measured period. Only the JDK: it also runs as a single source file
 * ({@code java benchmarks/src/main/java/io/rosetta/benchmarks/HttpLoad.java ...}).
 *
 * <pre>
 * HttpLoad --url http://127.0.0.1:8181/api/2/things/demo:device-01 [--method GET] [--header 'Authorization: Basic ...']
 *          [--body '{"value":{n}}'] [--things 100] [--connections 32] [--threads 1] [--warmup 5] [--duration 10] [--label x]
 * </pre>
 * In the path and the body, {@code {n}} becomes the request's number and {@code {t}} that number modulo {@code --things}.
 * Prints one CSV line: label, requests/s, requests, non-2xx responses, errors, p50/p99/p999 latency in ms.
 */
public final class HttpLoad {

    private static final String N = "__request_number__";
    private static final String T = "__thing_number__";
    private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final String host;
    private final int port;
    private final String method;
    private final String pathTemplate;
    private final String bodyTemplate;
    private final List<String> headers;
    private final int things;
    private final AtomicLong counter = new AtomicLong();

    private volatile boolean measuring;
    private volatile boolean stopping;

    HttpLoad(URI url, String method, List<String> headers, String body, int things) {
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : 80;
        this.method = method;
        this.pathTemplate = ((url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())).replace(N, "{n}").replace(T, "{t}");
        this.bodyTemplate = body;
        this.headers = headers;
        this.things = Math.max(1, things);
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = parse(args);
        // the placeholders are not URI characters: parse without them, put them back into the path
        URI url = URI.create(one(options, "url", null).replace("{n}", N).replace("{t}", T));
        if (!"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("only http:// URLs");
        }
        HttpLoad load = new HttpLoad(url, one(options, "method", "GET").toUpperCase(Locale.ROOT), options.getOrDefault("header", List.of()),
                one(options, "body", null), Integer.parseInt(one(options, "things", "1")));
        Result r = load.run(Integer.parseInt(one(options, "connections", "32")), Integer.parseInt(one(options, "threads", "1")),
                Double.parseDouble(one(options, "warmup", "5")), Double.parseDouble(one(options, "duration", "10")));
        System.out.println(r.csv(one(options, "label", load.method + " " + load.pathTemplate)));
    }

    record Result(double seconds, long requests, long non2xx, long errors, long[] latenciesNanos, Map<Integer, Long> statuses) {
        double rate() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }

        String csv(String label) {
            return String.format(Locale.ROOT, "%s,%.0f,%d,%d,%d,%.2f,%.2f,%.2f,%s", label, rate(), requests, non2xx, errors,
                    percentileMillis(0.5), percentileMillis(0.99), percentileMillis(0.999), statuses);
        }
    }

    Result run(int connections, int threads, double warmupSeconds, double durationSeconds) throws Exception {
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int share = connections / threads + (i < connections % threads ? 1 : 0);
            workers.add(new Worker(share));
        }
        List<Thread> running = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(w, "http-load-" + running.size());
            t.start();
            running.add(t);
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        long start = System.nanoTime();
        measuring = true;
        Thread.sleep((long) (durationSeconds * 1000));
        measuring = false;
        double seconds = (System.nanoTime() - start) / 1e9;
        stopping = true;
        for (Thread t : running) {
            t.join(10_000);
        }
        long requests = 0;
        long non2xx = 0;
        long errors = 0;
        int samples = 0;
        Map<Integer, Long> statuses = new TreeMap<>();
        for (Worker w : workers) {
            requests += w.requests;
            non2xx += w.non2xx;
            errors += w.errors;
            samples += w.latencyCount;
            w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
        }
        long[] all = new long[samples];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.latencyCount);
            at += w.latencyCount;
        }
        Arrays.sort(all);
        return new Result(seconds, requests, non2xx, errors, all, statuses);
    }

    private byte[] nextRequest() {
        long n = counter.getAndIncrement();
        String t = Long.toString(n % things);
        String path = pathTemplate.replace("{n}", Long.toString(n)).replace("{t}", t);
        byte[] body = bodyTemplate == null ? null : bodyTemplate.replace("{n}", Long.toString(n)).replace("{t}", t).getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return head;
        }
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** One thread's connections on one selector. */
    private final class Worker implements Runnable {
        private final int connections;
        long requests;
        long non2xx;
        long errors;
        long[] latencies = new long[1 << 16];
        int latencyCount;
        final Map<Integer, Long> statuses = new LinkedHashMap<>();

        Worker(int connections) {
            this.connections = connections;
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                for (int i = 0; i < connections; i++) {
                    open(selector);
                }
                while (!stopping) {
                    selector.select(100);
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        Connection c = (Connection) key.attachment();
                        try {
                            if (key.isConnectable()) {
                                c.channel.finishConnect();
                                c.send(key);
                            } else if (key.isWritable()) {
                                c.write(key);
                            } else if (key.isReadable()) {
                                c.read(key);
                            }
                        } catch (IOException e) {
                            errors += measuring ? 1 : 0;
                            key.cancel();
                            c.channel.close();
                            if (!stopping) {
                                open(selector);
                            }
                        }
                    }
                }
                for (SelectionKey k : selector.keys()) {
                    k.channel().close();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void open(Selector selector) throws IOException {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(ch);
            if (ch.connect(new InetSocketAddress(host, port))) {
                c.send(ch.register(selector, 0, c));
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        }

        private void record(int status, long nanos) {
            if (!measuring) {
                return;
            }
            requests++;
            if (status < 200 || status > 299) {
                non2xx++;
            }
            statuses.merge(status, 1L, Long::sum);
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = nanos;
        }

        /** A keep-alive connection: one request in flight. */
        private final class Connection {
            final SocketChannel channel;
            ByteBuffer out;
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            long sentAt;

            Connection(SocketChannel channel) {
                this.channel = channel;
            }

            void send(SelectionKey key) throws IOException {
                out = ByteBuffer.wrap(nextRequest());
                sentAt = System.nanoTime();
                write(key);
            }

            void write(SelectionKey key) throws IOException {
                channel.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }

            void read(SelectionKey key) throws IOException {
                if (!in.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                if (channel.read(in) < 0) {
                    throw new IOException("closed by the server");
                }
                int consumed = complete(in.array(), in.position());
                if (consumed > 0) {
                    int status = status(in.array());
                    record(status, System.nanoTime() - sentAt);
                    in.flip();
                    in.position(consumed);
                    in.compact();
                    if (!stopping) {
                        send(key);
                    }
                }
            }
        }
    }

    /** The status code of the response at the start of the buffer. */
    static int status(byte[] b) {
        // HTTP/1.1 200 ...
        return (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    }

    /** The length of the complete response at the start of {@code b[0..length)}, or 0 while it is incomplete. */
    static int complete(byte[] b, int length) throws IOException {
        int headEnd = indexOf(b, length, CRLF2, 0);
        if (headEnd < 0) {
            return 0;
        }
        int bodyStart = headEnd + 4;
        String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int cl = head.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int end = head.indexOf("\r\n", cl + 2);
            int n = Integer.parseInt(head.substring(cl + 17, end < 0 ? head.length() : end).trim());
            return length >= bodyStart + n ? bodyStart + n : 0;
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            int at = bodyStart;
            while (true) {
                int lineEnd = indexOf(b, length, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
                if (lineEnd < 0) {
                    return 0;
                }
                String sizeText = new String(b, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int semicolon = sizeText.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    // no trailers expected: the closing CRLF
                    return length >= at + 2 ? at + 2 : 0;
                }
                at += size + 2;
                if (at > length) {
                    return 0;
                }
            }
        }
        // no body (204, 304) or an unframed one
        return bodyStart;
    }

    private static int indexOf(byte[] b, int length, byte[] what, int from) {
        outer:
        for (int i = from; i <= length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[i + 1]);
        }
        return options;
    }

    private static String one(Map<String, List<String>> options, String name, String fallback) {
        List<String> values = options.get(name);
        if (values == null || values.isEmpty()) {
            if (fallback == null && !"body".equals(name)) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return fallback;
        }
        return values.get(values.size() - 1);
    }
}
