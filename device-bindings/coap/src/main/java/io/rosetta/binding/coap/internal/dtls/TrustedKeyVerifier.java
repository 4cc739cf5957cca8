package io.rosetta.binding.coap.internal.dtls;

import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a device's raw public key (RFC 7250) against {@link TrustedKeys} at each handshake: a trusted key
 * passes with the endpoint it authenticates; an unknown key, an empty certificate message or an X.509 chain
 * fails the handshake with a {@code bad_certificate} alert.
 */
final class TrustedKeyVerifier implements NewAdvancedCertificateVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedKeyVerifier.class);

    private final TrustedKeys trusted;

    TrustedKeyVerifier(TrustedKeys trusted) {
        this.trusted = trusted;
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(CertificateType.RAW_PUBLIC_KEY);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName, InetSocketAddress remotePeer,
                                                           boolean clientUsage, boolean verifySubject,
                                                           boolean truncateCertificatePath, CertificateMessage message) {
        PublicKey key = message.getPublicKey();
        if (message.isEmpty() || key == null || message.getCertificateChain() != null) {
            return refuse(cid, remotePeer, "no raw public key (RFC 7250) was presented");
        }
        Optional<String> endpoint = trusted.endpoint(key);
        if (endpoint.isEmpty()) {
            return refuse(cid, remotePeer, "the raw public key " + KeyFiles.name(key) + " is not trusted");
        }
        return new CertificateVerificationResult(cid, key, endpoint.get());
    }

    private static CertificateVerificationResult refuse(ConnectionId cid, InetSocketAddress peer, String why) {
        LOG.debug("DTLS handshake from {} refused: {}", peer, why);
        return new CertificateVerificationResult(cid,
                new HandshakeException(why, new AlertMessage(AlertLevel.FATAL, AlertDescription.BAD_CERTIFICATE)), null);
    }

    @Override
    public List<X500Principal> getAcceptedIssuers() {
        return List.of();
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // results are returned at once
    }
}
