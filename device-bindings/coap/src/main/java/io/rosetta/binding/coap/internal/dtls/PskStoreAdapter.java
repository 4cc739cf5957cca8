package io.rosetta.binding.coap.internal.dtls;

import java.net.InetSocketAddress;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * Scandium's PSK store in front of {@link PskCredentials}: the key of the identity a client names, looked up
 * at each handshake, with the endpoint (and registry device) it authenticates handed on to {@link EndpointInfo}. An unknown
 * identity gets no key, and Scandium fails the handshake. Answers synchronously: the lookups are in memory.
 */
final class PskStoreAdapter implements AdvancedPskStore {

    private final PskCredentials credentials;

    PskStoreAdapter(PskCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName, PskPublicInformation identity,
                                                  String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
                                                  boolean useExtendedMasterSecret) {
        Optional<PskCredentials.Credential> c = identity.isCompliantEncoding()
                ? credentials.lookup(identity.getPublicInfoAsString()) : Optional.empty();
        if (c.isEmpty()) {
            return new PskSecretResult(cid, identity, null);
        }
        byte[] key = c.get().key();
        SecretKey secret = SecretUtil.create(key, PskSecretResult.ALGORITHM_PSK);
        java.util.Arrays.fill(key, (byte) 0);
        return new PskSecretResult(cid, identity, secret, new EndpointInfo.Peer(c.get().endpoint(), c.get().deviceId()));
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null; // a server never starts a PSK handshake
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // results are returned at once
    }
}
