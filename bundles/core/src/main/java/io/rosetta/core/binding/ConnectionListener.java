package io.rosetta.core.binding;

import io.rosetta.core.model.ConnectivityStatus;

/**
 * Receives the state of a supervised connection: {@link ConnectivityStatus#ONLINE} once connected,
 * {@code OFFLINE/COMMUNICATION_ERROR} with the cause's message when an attempt fails or the
 * connection is lost. Called on the core's scheduler (or the thread that reported a loss), one
 * call at a time per connection; keep it short.
 */
@FunctionalInterface
public interface ConnectionListener {

    void statusChanged(ConnectivityStatus status);
}
