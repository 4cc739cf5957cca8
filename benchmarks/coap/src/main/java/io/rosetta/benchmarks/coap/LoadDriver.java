package io.rosetta.benchmarks.coap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Simulated devices on a few Californium client endpoints: every endpoint is one UDP socket shared by many
 * devices (a device is its endpoint name in the Uri-Path and the query, not its source port), all endpoints on
 * one small executor. Requests are confirmable and sent asynchronously, at most {@code window} outstanding
 * (a closed loop); each round trip's latency is recorded.
 */
final class LoadDriver implements AutoCloseable {

    private final Endpoint[] endpoints;
    private final ScheduledThreadPoolExecutor executor = Servers.scheduler("client");

    LoadDriver(int sockets) throws IOException {
        Configuration cf = Configuration.createStandardWithoutFile();
        endpoints = new Endpoint[sockets];
        for (int i = 0; i < sockets; i++) {
            CoapEndpoint e = CoapEndpoint.builder().setConfiguration(cf).setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
            e.setExecutors(executor, executor);
            e.start();
            endpoints[i] = e;
        }
    }

    /**
     * One DTLS endpoint (a socket and a DTLS session of its own) per device: {@code identities[i]} with {@code key}; the
     * device of request {@code n} must be {@code n % identities.length}.
     */
    LoadDriver(String[] identities, byte[] key) throws IOException {
        endpoints = new Endpoint[identities.length];
        for (int i = 0; i < identities.length; i++) {
            Configuration cf = Configuration.createStandardWithoutFile();
            cf.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
            cf.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
            cf.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
            cf.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
            DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(cf).setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedPskStore(new AdvancedSinglePskStore(identities[i], key)).build();
            CoapEndpoint e = CoapEndpoint.builder().setConfiguration(cf).setConnector(new DTLSConnector(dtls)).build();
            e.setExecutors(executor, executor);
            e.start();
            endpoints[i] = e;
        }
    }

    int sockets() {
        return endpoints.length;
    }

    /** What one run measured. */
    record Result(long requests, long ok, long failed, double seconds, long[] latenciesNanos) {

        double rate() {
            return ok / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%,d ok, %,d failed in %.1f s: %,.0f/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", ok, failed, seconds,
                    rate(), percentileMillis(50), percentileMillis(99), percentileMillis(99.9));
        }
    }

    /** Sends {@code count} requests ({@code request.apply(i)}); waits for every answer. */
    Result count(InetSocketAddress server, int count, int window, IntFunction<Request> request, ResponseCode expected)
            throws InterruptedException {
        return run(server, count, Long.MAX_VALUE, window, request, expected);
    }

    /** Sends requests for {@code seconds} (request {@code i} is {@code request.apply(i)}); waits for every answer. */
    Result timed(InetSocketAddress server, double seconds, int window, IntFunction<Request> request, ResponseCode expected)
            throws InterruptedException {
        return run(server, Integer.MAX_VALUE, System.nanoTime() + (long) (seconds * 1e9), window, request, expected);
    }

    private Result run(InetSocketAddress server, int count, long deadline, int window, IntFunction<Request> request,
                       ResponseCode expected) throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[] latencies = new long[Math.min(count, 8_000_000)];
        AtomicInteger recorded = new AtomicInteger();
        AddressEndpointContext destination = new AddressEndpointContext(server);
        long start = System.nanoTime();
        int sent = 0;
        while (sent < count && System.nanoTime() < deadline) {
            if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            Request r = request.apply(sent);
            r.setDestinationContext(destination);
            long t0 = System.nanoTime();
            r.addMessageObserver(new MessageObserverAdapter() {
                @Override
                public void onResponse(Response response) {
                    long nanos = System.nanoTime() - t0;
                    if (response.getCode() == expected) {
                        ok.incrementAndGet();
                        int i = recorded.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[i] = nanos;
                        }
                    } else {
                        failed.incrementAndGet();
                    }
                    permits.release();
                }

                @Override
                protected void failed() {
                    failed.incrementAndGet();
                    permits.release();
                }
            });
            endpoints[sent % endpoints.length].sendRequest(r);
            sent++;
        }
        permits.acquire(window); // every answer (or failure) is in
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] l = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
        Arrays.sort(l);
        return new Result(sent, ok.get(), failed.get(), seconds, l);
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            e.destroy();
        }
        executor.shutdownNow();
    }
}
