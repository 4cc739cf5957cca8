package io.rosetta.binding.coap.internal.dtls;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;

/** The server's Scandium DTLS 1.2 connector: pre-shared keys, and raw public keys (RFC 7250) when configured. */
public final class DtlsConnectors {

    /** PSK cipher suites (RFC 7925's mandatory {@code TLS_PSK_WITH_AES_128_CCM_8} first). */
    public static final List<CipherSuite> PSK_SUITES = List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
            CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
    /** Raw public key cipher suites (RFC 7925's mandatory {@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8} first). */
    public static final List<CipherSuite> RPK_SUITES = List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);

    private DtlsConnectors() {
    }

    /** Sets the DTLS part of Californium's configuration: server role, cipher suites, client authentication. */
    public static void configure(Configuration cf, boolean rawPublicKeys) {
        cf.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        List<CipherSuite> suites = new ArrayList<>(PSK_SUITES);
        if (rawPublicKeys) {
            suites.addAll(RPK_SUITES);
            cf.setAsList(DtlsConfig.DTLS_CERTIFICATE_TYPES, CertificateType.RAW_PUBLIC_KEY);
            cf.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
        }
        cf.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, suites.toArray(new CipherSuite[0]));
    }

    /**
     * The connector: keys of devices from {@code psk}; with {@code serverKey} (raw public keys on) the server
     * presents that key and accepts devices whose keys {@code trusted} knows.
     */
    public static DTLSConnector server(Configuration cf, InetSocketAddress address, PskCredentials psk, KeyPair serverKey,
                                       TrustedKeys trusted) {
        DtlsConnectorConfig.Builder b = DtlsConnectorConfig.builder(cf)
                .setAddress(address)
                .setAdvancedPskStore(new PskStoreAdapter(psk))
                .setApplicationLevelInfoSupplier(new EndpointInfo());
        if (serverKey != null) {
            b.setCertificateIdentityProvider(new SingleCertificateProvider(serverKey.getPrivate(), serverKey.getPublic()));
            b.setAdvancedCertificateVerifier(new TrustedKeyVerifier(trusted));
        }
        return new DTLSConnector(b.build());
    }
}
