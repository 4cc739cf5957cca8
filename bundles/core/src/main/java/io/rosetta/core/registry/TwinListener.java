package io.rosetta.core.registry;

/**
 * Hears every twin event on the thread that made the change, the moment it is made: after the change was
 * validated, journaled and applied, before the write returns to its caller, while the changed thing is still
 * locked against other writes. The events of one thing therefore arrive in revision order; events of different
 * things may arrive at the same time on different threads.
 *
 * <p>This is the registry's cheapest way to follow the twins: no thread is woken for an event and nothing is
 * buffered, so nothing is ever dropped. The price is that the listener runs inside every write, so it must be
 * quick, must not block (no I/O, no waiting for other threads) and must not write to the registry; a listener
 * with slow or blocking work queues it for a thread of its own, or {@linkplain TwinRegistry#subscribe subscribes}
 * instead (its own buffer, its own pace). An exception thrown by a listener does not fail the write: it is
 * logged and counted as an event {@linkplain RegistryStats#eventsDropped() dropped} for that listener.
 */
@FunctionalInterface
public interface TwinListener {

    /** One change of a twin; see the class comment for what the listener may do here. */
    void onEvent(TwinEvent event);
}
