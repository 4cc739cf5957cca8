package io.rosetta.core.registry;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.Optional;

/**
 * Makes the first version of a twin from its semantic model: the definition and every feature the
 * model declares (with the feature's own model in its {@code definition}), without values yet.
 * The semantic model registry publishes one; without it, twins start with their definition only.
 */
public interface TwinTemplates {

    /** The new twin for {@code modelId}, or empty when the model is unknown. */
    Optional<Thing> newTwin(ThingId id, String modelId);
}
