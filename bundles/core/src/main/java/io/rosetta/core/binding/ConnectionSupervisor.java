package io.rosetta.core.binding;

/**
 * The core's keeper of binding connections. A binding hands it a {@link Connector} and gets
 * connection status through a {@link ConnectionListener}; the supervisor connects on the core's
 * scheduler, reconnects after failures and losses with exponential backoff and full jitter
 * ({@link BackoffPolicy}), and stops when the binding closes the {@link SupervisedConnection}.
 * Bindings never retry in loops or threads of their own.
 */
public interface ConnectionSupervisor {

    /** Supervises a connection with the supervisor's configured backoff; the first attempt starts at once. */
    SupervisedConnection supervise(String name, Connector connector, ConnectionListener listener);

    /** Supervises a connection with its own backoff; the first attempt starts at once. */
    SupervisedConnection supervise(String name, Connector connector, ConnectionListener listener, BackoffPolicy backoff);

    /** The backoff used when none is given. */
    BackoffPolicy defaultBackoff();
}
