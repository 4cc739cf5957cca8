package io.rosetta.core.binding;

import java.util.concurrent.CompletionStage;

/**
 * How a binding opens and closes one connection (a broker session, a socket, a gateway login).
 * The {@link ConnectionSupervisor} calls it on the core's scheduler and owns the retry policy.
 */
public interface Connector {

    /**
     * Starts connecting and returns a stage that completes when the connection is up and fails
     * with the cause when it cannot be made. A connector whose client library only blocks may
     * connect inside this call and return a completed or failed stage; it should keep such calls
     * short (a connect timeout of its library), because it runs on the shared scheduler. An
     * exception thrown from here counts as a failed attempt.
     */
    CompletionStage<?> connect();

    /**
     * Closes the connection or abandons an attempt in progress. Called after a failed or timed-out
     * attempt, after a loss, and when the supervision stops; must tolerate being called when
     * nothing is open.
     */
    void disconnect();
}
