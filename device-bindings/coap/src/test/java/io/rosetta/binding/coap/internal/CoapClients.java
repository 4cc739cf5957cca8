package io.rosetta.binding.coap.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** Californium clients as devices use them: plain CoAP or DTLS with a pre-shared key, on their own endpoints. */
final class CoapClients implements AutoCloseable {

    private final Endpoint endpoint;
    private final String base;

    private CoapClients(Endpoint endpoint, String base) {
        this.endpoint = endpoint;
        this.base = base;
    }

    static CoapClients plain(InetSocketAddress server, int blockSize) {
        Configuration cf = config(blockSize);
        Endpoint ep = CoapEndpoint.builder().setConfiguration(cf).setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        return new CoapClients(ep, "coap://127.0.0.1:" + server.getPort());
    }

    static CoapClients dtls(InetSocketAddress server, String identity, byte[] key) {
        Configuration cf = config(512);
        cf.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        cf.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
        cf.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(cf).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key)).build();
        Endpoint ep = CoapEndpoint.builder().setConfiguration(cf).setConnector(new DTLSConnector(dtls)).build();
        return new CoapClients(ep, "coaps://127.0.0.1:" + server.getPort());
    }

    private static Configuration config(int blockSize) {
        Configuration cf = CoapServerComponent.californium(io.rosetta.binding.coap.internal.config.CoapServerConfig.from(
                java.util.Map.of("blockSize", blockSize)));
        cf.set(CoapConfig.MAX_RETRANSMIT, 1);
        return cf;
    }

    CoapClient client(String path) {
        CoapClient c = new CoapClient(base + path);
        c.setEndpoint(endpoint);
        c.setTimeout(3000L);
        return c;
    }

    CoapResponse post(String path, String payload, int contentFormat) throws Exception {
        return post(path, payload.getBytes(StandardCharsets.UTF_8), contentFormat);
    }

    CoapResponse post(String path, byte[] payload, int contentFormat) throws Exception {
        Request r = Request.newPost();
        r.setPayload(payload);
        if (contentFormat != MediaTypeRegistry.UNDEFINED) {
            r.getOptions().setContentFormat(contentFormat);
        }
        return client(path).advanced(r);
    }

    CoapResponse delete(String path) throws Exception {
        return client(path).delete();
    }

    static String location(CoapResponse r) {
        return r.getOptions().getLocationPathString();
    }

    static boolean is(CoapResponse r, CoAP.ResponseCode code) {
        return r != null && r.getCode() == code;
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}
