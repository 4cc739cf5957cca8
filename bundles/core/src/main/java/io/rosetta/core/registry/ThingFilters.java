package io.rosetta.core.registry;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import java.util.function.Predicate;

/**
 * Turns an RQL filter expression ({@code and(eq(attributes/room,"kitchen"),gt(features/temperature/properties/value,20))})
 * into a predicate over twins. The search bundle publishes the implementation, with the same
 * grammar and semantics as {@code GET /api/2/search/things?filter=}; live streams (SSE, WebSocket,
 * integrator routes) use it to select the events they deliver.
 */
public interface ThingFilters {

    /**
     * Parses {@code rql}; a blank expression selects every thing.
     *
     * @throws TwinException with status 400 and error code {@code things:filter.invalid} when the
     *     expression is malformed, naming the position of the problem
     */
    Predicate<Thing> parse(String rql);
}
