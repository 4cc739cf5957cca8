package io.rosetta.core.registry;

import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The single writer of twins. Every change is validated (shape and semantic model), journaled
 * before it is acknowledged, gets the next revision of its thing, and is published as a
 * {@link TwinEvent}. Changes to one thing are applied in order; changes to different things run
 * in parallel. Events reach {@linkplain #listen listeners} on the writing thread and {@linkplain #subscribe
 * subscribers} on threads of the registry. Refused changes throw {@link TwinException} (with a status and a Ditto-style error
 * code) and leave the twin untouched.
 *
 * <p>Paths are JSON pointers into the Ditto thing JSON ({@code /attributes/location},
 * {@code /features/env/properties/temperature}); the root pointer means the whole thing.
 */
public interface TwinRegistry {

    /** Creates a thing; 409 when it exists. Revision 1, connectivity UNKNOWN unless given. */
    Thing create(Thing thing);

    Optional<Thing> retrieve(ThingId id);

    /** All things at the moment of the call (a weakly consistent view). */
    Collection<Thing> things();

    int size();

    /** Creates the thing or replaces it whole (Ditto PUT on a thing). */
    WriteResult put(Thing thing, Precondition precondition);

    /**
     * Sets the value at {@code path} (Ditto "modify", HTTP PUT on a sub-resource), creating
     * intermediate objects; the result must still be a valid thing. {@code created} tells whether
     * the path had no value before.
     */
    WriteResult modify(ThingId id, JsonPointer path, JsonValue value, Precondition precondition);

    /** Applies an RFC 7396 merge patch at {@code path} (Ditto "merge", HTTP PATCH). */
    Thing merge(ThingId id, JsonPointer path, JsonValue patch, Precondition precondition);

    /**
     * State reported by a device through its binding: a merge patch at {@code path} that also
     * records when the device was last seen.
     */
    Thing report(ThingId id, JsonPointer path, JsonValue patch, long seenAtMillis);

    /** Removes the value at {@code path}; the root path deletes the thing. 404 when absent. */
    void delete(ThingId id, JsonPointer path, Precondition precondition);

    /** Sets connectivity; returns the thing unchanged (no new revision) when it already has it. */
    Thing updateConnectivity(ThingId id, ConnectivityStatus status);

    /** Moves the lifecycle state; illegal transitions are refused with 409. */
    Thing updateLifecycle(ThingId id, LifecycleState state);

    /**
     * Subscribes to twin events. Each subscriber has its own bounded buffer and consumes at its
     * own pace ({@link Flow.Subscription#request}); a subscriber whose buffer stays full beyond
     * the registry's configured patience loses events, which are counted in {@link #stats()}.
     */
    void subscribe(Flow.Subscriber<? super TwinEvent> subscriber);

    /**
     * Adds a listener that hears every later event on the writing thread ({@link TwinListener}: quick,
     * non-blocking work only). Adding the same listener twice has no effect.
     */
    void listen(TwinListener listener);

    /** Removes a listener; it hears no event that starts after the call returns. */
    void unlisten(TwinListener listener);

    RegistryStats stats();
}
