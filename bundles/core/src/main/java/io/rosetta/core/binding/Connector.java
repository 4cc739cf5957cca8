package io.rosetta.core.binding;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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

    /**
     * Completes an attempt's stage on {@code executor}, for connectors whose client library answers on its own
     * threads: what the supervisor does next (a disconnect after a failure) must not run on a client's thread.
     * When the executor refuses (it is shutting down) the stage fails at once with that refusal.
     */
    static void completeOn(Executor executor, CompletableFuture<Void> done, Throwable failure) {
        Runnable r = () -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        };
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
    }
}
