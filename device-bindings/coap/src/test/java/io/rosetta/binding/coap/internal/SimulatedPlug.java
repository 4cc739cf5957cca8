package io.rosetta.binding.coap.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * A smart plug as a Californium CoAP server on a free port: an observable {@code /power} (SenML), a
 * writable {@code /relay} (switch/on), and a {@code /pos} that refuses every write. It registers with the
 * Resource Directory from its own endpoint, so the directory reaches its resources at its source address.
 */
final class SimulatedPlug implements AutoCloseable {

    static final String LINKS = "</power>;rt=\"power\";obs,</relay>;rt=\"on\",</pos>;rt=\"switch/powerOnState\"";

    private final CoapServer server;
    private final Endpoint endpoint;
    private final PowerResource power = new PowerResource();
    volatile boolean relay;
    final AtomicInteger writes = new AtomicInteger();

    private final String scheme;

    SimulatedPlug() {
        this(null, null);
    }

    /** A plug that talks DTLS with a PSK ({@code identity} not null): it starts the handshake when it registers. */
    SimulatedPlug(String identity, byte[] key) {
        // a device's own stack: Californium's defaults (no congestion control, which would hold back NON notifications)
        Configuration cf = Configuration.createStandardWithoutFile();
        server = new CoapServer(cf);
        if (identity == null) {
            scheme = "coap";
            endpoint = CoapEndpoint.builder().setConfiguration(cf).setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        } else {
            scheme = "coaps";
            cf.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
            DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(cf).setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key)).build();
            endpoint = CoapEndpoint.builder().setConfiguration(cf).setConnector(new DTLSConnector(dtls)).build();
        }
        server.addEndpoint(endpoint);
        server.add(power, new RelayResource(), new RefusingResource());
        server.start();
    }

    CoapResponse register(InetSocketAddress rd, String ep, String model) throws Exception {
        CoapClient c = new CoapClient(scheme + "://127.0.0.1:" + rd.getPort() + "/rd?ep=" + ep + "&lt=60&et=" + model);
        c.setEndpoint(endpoint);
        c.setTimeout(3000L);
        Request post = Request.newPost();
        post.setPayload(LINKS);
        post.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
        return c.advanced(post);
    }

    void power(double watts) {
        power.watts = watts;
        power.changed();
    }

    int observers() {
        return power.getObserverCount();
    }

    @Override
    public void close() {
        server.destroy();
    }

    private static final class PowerResource extends CoapResource {
        volatile double watts = 10.0;

        PowerResource() {
            super("power");
            setObservable(true);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            exchange.respond(ResponseCode.CONTENT, "[{\"u\":\"W\",\"v\":" + watts + "}]", ReadingIngest.SENML_JSON);
        }
    }

    private final class RelayResource extends CoapResource {
        RelayResource() {
            super("relay");
        }

        @Override
        public void handlePUT(CoapExchange exchange) {
            writes.incrementAndGet();
            String body = new String(exchange.getRequestPayload(), StandardCharsets.UTF_8);
            if (exchange.getRequestOptions().getContentFormat() != ReadingIngest.SENML_JSON || !body.contains("\"n\":\"on\"")) {
                exchange.respond(ResponseCode.BAD_REQUEST);
                return;
            }
            relay = body.contains("\"vb\":true");
            exchange.respond(ResponseCode.CHANGED);
        }
    }

    private static final class RefusingResource extends CoapResource {
        RefusingResource() {
            super("pos");
        }

        @Override
        public void handlePUT(CoapExchange exchange) {
            exchange.respond(ResponseCode.NOT_ACCEPTABLE);
        }
    }
}
