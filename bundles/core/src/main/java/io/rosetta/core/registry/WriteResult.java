package io.rosetta.core.registry;

import io.rosetta.core.model.Thing;

/** The outcome of a write: the thing as stored and whether the write created it. */
public record WriteResult(Thing thing, boolean created) {
}
