package io.rosetta.camel;

/**
 * The HTTP server of Rosetta's Camel runtime: where it listens, the certificate it serves on the
 * HTTPS port, and what it refused on WebSockets. Published as a service while the runtime runs.
 */
public interface HttpServerStatus {

    /** The plain HTTP port it listens on, or -1 when plain HTTP is off or its port could not be bound. */
    int httpPort();

    /** The HTTPS port it listens on, or -1 when HTTPS is off, its keystore unusable or its port could not be bound. */
    int httpsPort();

    /** SHA-256 fingerprint of the certificate served on the HTTPS port (hex pairs separated by colons), or {@code null}. */
    String certificateFingerprint();

    /** The largest WebSocket frame accepted, in bytes; larger ones close the socket with status 1009. */
    int maxWebSocketFrameBytes();

    /** WebSockets closed with status 1009 because a frame was larger than {@link #maxWebSocketFrameBytes()}. */
    long webSocketFramesTooLarge();

    /** WebSockets closed with status 1002 because of a malformed frame. */
    long webSocketProtocolErrors();
}
