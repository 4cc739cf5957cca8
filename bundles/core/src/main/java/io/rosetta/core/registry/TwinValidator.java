package io.rosetta.core.registry;

import io.rosetta.core.model.ModelViolationException;
import io.rosetta.core.model.Thing;

/**
 * Checks a candidate twin before the registry commits it. The semantic model registry publishes
 * one that checks properties against the twin's WoT Thing Model; any bundle may add more.
 */
public interface TwinValidator {

    /**
     * Throws {@link ModelViolationException} when {@code candidate} may not be stored.
     * {@code previous} is the twin before the change, {@code null} on create.
     */
    void validate(Thing candidate, Thing previous);
}
