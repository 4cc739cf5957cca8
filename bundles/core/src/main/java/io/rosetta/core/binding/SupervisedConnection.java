package io.rosetta.core.binding;

import java.time.Duration;
import java.util.Optional;

/** A connection under supervision: its state, a way to report a loss, and a way to stop. */
public interface SupervisedConnection extends AutoCloseable {

    enum State {
        /** An attempt is in progress. */
        CONNECTING,
        /** The last attempt succeeded and no loss was reported since. */
        CONNECTED,
        /** Waiting for the next attempt after a failure or loss. */
        WAITING,
        /** Closed; no more attempts. */
        STOPPED
    }

    String name();

    State state();

    /** Failed attempts since the last success. */
    int failures();

    /** The cause of the last failure or loss, if the connection is not up. */
    Optional<Throwable> lastFailure();

    /** The delay before the next attempt while {@link State#WAITING}. */
    Optional<Duration> nextAttemptIn();

    /**
     * The binding's client library reports that an established connection dropped: the supervisor
     * reports {@code OFFLINE/COMMUNICATION_ERROR} and reconnects with backoff. Ignored unless
     * {@link State#CONNECTED}.
     */
    void connectionLost(Throwable cause);

    /** Stops supervising: cancels a pending attempt and disconnects. Idempotent. */
    @Override
    void close();
}
