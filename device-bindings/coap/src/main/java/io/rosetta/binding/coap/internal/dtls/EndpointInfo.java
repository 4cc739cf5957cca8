package io.rosetta.binding.coap.internal.dtls;

import java.security.Principal;
import java.util.Map;
import org.eclipse.californium.elements.auth.AdditionalInfo;
import org.eclipse.californium.elements.auth.ExtensiblePrincipal;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.scandium.auth.ApplicationLevelInfoSupplier;

/**
 * Attaches to the DTLS peer's principal the endpoint name its credential authenticates (handed over by
 * {@link PskStoreAdapter} and {@link TrustedKeyVerifier}), so that every request of the session carries it.
 */
public final class EndpointInfo implements ApplicationLevelInfoSupplier {

    /** The key of the endpoint name in the principal's {@link AdditionalInfo}. */
    public static final String ENDPOINT = "io.rosetta.binding.coap.endpoint";
    /** The key of the device registry's device id in the principal's {@link AdditionalInfo} (registry credentials only). */
    public static final String DEVICE = "io.rosetta.binding.coap.device";

    /** What a credential store hands over for the session: the endpoint, and the registry device ({@code null}: none). */
    public record Peer(String endpoint, String deviceId) {
    }

    @Override
    public AdditionalInfo getInfo(Principal clientIdentity, Object customArgument) {
        if (customArgument instanceof Peer peer) {
            return AdditionalInfo.from(peer.deviceId() == null ? Map.of(ENDPOINT, peer.endpoint())
                    : Map.of(ENDPOINT, peer.endpoint(), DEVICE, peer.deviceId()));
        }
        return customArgument instanceof String endpoint ? AdditionalInfo.from(Map.of(ENDPOINT, endpoint)) : AdditionalInfo.empty();
    }

    /** The device registry's device a DTLS peer authenticated as, {@code null} for other credentials and without DTLS. */
    public static String deviceId(Principal peer) {
        return peer instanceof ExtensiblePrincipal<?> p ? p.getExtendedInfo().get(DEVICE, String.class) : null;
    }

    /**
     * The endpoint a DTLS peer is authenticated as: the name its credential gave, else (a session made
     * without this binding's stores) its PSK identity or principal name, which names no endpoint unless it is
     * one; {@code null} only without DTLS.
     */
    public static String endpoint(Principal peer) {
        if (peer instanceof ExtensiblePrincipal<?> p) {
            String ep = p.getExtendedInfo().get(ENDPOINT, String.class);
            if (ep != null) {
                return ep;
            }
        }
        if (peer instanceof PreSharedKeyIdentity psk) {
            return psk.getIdentity();
        }
        return peer == null ? null : peer.getName();
    }
}
