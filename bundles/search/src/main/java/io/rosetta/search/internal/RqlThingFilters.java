package io.rosetta.search.internal;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import java.util.function.Predicate;
import org.osgi.service.component.annotations.Component;

/**
 * RQL filters for the live streams (SSE, WebSocket, integrator routes): the search's own
 * {@link RqlParser} and {@link Filter#matches}, so that {@code filter=} selects the same things on a
 * stream as on {@code GET /api/2/search/things}. A malformed expression is refused with 400
 * {@value #INVALID}, naming the position of the problem.
 */
@Component(service = ThingFilters.class)
public final class RqlThingFilters implements ThingFilters {

    static final String INVALID = "things:filter.invalid";

    private static final Predicate<Thing> EVERY_THING = new Predicate<>() {
        @Override
        public boolean test(Thing thing) {
            return true;
        }

        @Override
        public String toString() {
            return "";
        }
    };

    private final LiveFilterIndex index = new LiveFilterIndex();

    /**
     * A predicate whose {@link Object#toString} is the normalized RQL. The predicates are filed in a {@link LiveFilterIndex}:
     * asking all of them about the same twin in a row (as a live stream does for each event) decides them together.
     */
    @Override
    public Predicate<Thing> parse(String rql) {
        try {
            Filter filter = RqlParser.parseFilter(rql);
            return filter instanceof Filter.All ? EVERY_THING : index.register(filter);
        } catch (RqlException e) {
            throw new TwinException(400, INVALID, "Invalid RQL filter: " + e.getMessage(),
                    "Write the filter as for the search, e.g. and(eq(attributes/location,\"kitchen\"),"
                            + "gt(features/temperature/properties/value,20)), and percent-encode it in a URL.");
        }
    }
}
