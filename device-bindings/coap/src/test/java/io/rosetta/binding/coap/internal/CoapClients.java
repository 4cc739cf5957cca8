package io.rosetta.binding.coap.internal;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
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
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** Californium clients as devices use them: plain CoAP, DTLS with a pre-shared key or a raw public key, on their own endpoints. */
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

    /**
     * A device with a raw public key (RFC 7250): it presents {@code device}'s public key and trusts the server's
     * {@code serverKey} only.
     */
    static CoapClients rpk(InetSocketAddress server, KeyPair device, PublicKey serverKey) {
        Configuration cf = config(512);
        cf.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        cf.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        cf.setAsList(DtlsConfig.DTLS_CERTIFICATE_TYPES, CertificateType.RAW_PUBLIC_KEY);
        cf.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(cf).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(device.getPrivate(), device.getPublic()))
                .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                        .setTrustedRPKs(new RawPublicKeyIdentity(serverKey)).build())
                .build();
        Endpoint ep = CoapEndpoint.builder().setConfiguration(cf).setConnector(new DTLSConnector(dtls)).build();
        return new CoapClients(ep, "coaps://127.0.0.1:" + server.getPort());
    }

    /** A new EC P-256 key pair, as a device would have. */
    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /**
     * A P-256 key pair as {@code openssl ecparam -genkey} writes it and libcoap's {@code -M} reads it: an RFC 5915
     * {@code EC PRIVATE KEY} with its curve and public key (GnuTLS needs the public key inside, which Java's PKCS#8
     * encoding leaves out).
     */
    static String sec1Pem(KeyPair pair) throws java.io.IOException {
        java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey) pair.getPrivate();
        java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey) pair.getPublic();
        java.io.ByteArrayOutputStream der = new java.io.ByteArrayOutputStream();
        der.write(new byte[] {0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20});
        der.write(unsigned32(priv.getS()));
        der.write(new byte[] {(byte) 0xa0, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07}); // prime256v1
        der.write(new byte[] {(byte) 0xa1, 0x44, 0x03, 0x42, 0x00, 0x04});
        der.write(unsigned32(pub.getW().getAffineX()));
        der.write(unsigned32(pub.getW().getAffineY()));
        return io.rosetta.binding.coap.internal.dtls.KeyFiles.pem("EC PRIVATE KEY", der.toByteArray());
    }

    private static byte[] unsigned32(java.math.BigInteger i) {
        byte[] b = i.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    /** The response, or {@code null} when the request failed (handshake refused, timeout). */
    CoapResponse tryPost(String path, String payload, int format) {
        try {
            Request r = Request.newPost();
            r.setPayload(payload);
            r.getOptions().setContentFormat(format);
            return client(path).setTimeout(1500L).advanced(r);
        } catch (Exception e) {
            return null;
        }
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
