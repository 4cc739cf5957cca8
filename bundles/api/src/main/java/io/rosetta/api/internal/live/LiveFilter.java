package io.rosetta.api.internal.live;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which things a live client hears about: {@code namespaces=a,b}, {@code ids=a:x,b:y} and an RQL
 * {@code filter=} (all optional; a thing must pass every one given). The filter is evaluated against the
 * twin <em>after</em> the change (for a removed thing: its last state), with the grammar and semantics of
 * the search, through the {@link ThingFilters} service of the search bundle. Without that service a
 * request with {@code filter} is refused with 400 {@code things:filter.notsupported} rather than
 * silently ignoring it.
 *
 * @param rql {@code null} when no filter was given
 */
record LiveFilter(Set<String> namespaces, Set<ThingId> ids, Predicate<Thing> rql) {

    static final LiveFilter ALL = new LiveFilter(Set.of(), Set.of(), null);
    private static final int MAX_IDS = 1000;

    LiveFilter {
        namespaces = Set.copyOf(namespaces);
        ids = Set.copyOf(ids);
    }

    /** Whether the event passes: its thing's id first (cheap), then the filter on the thing it is matched against. */
    boolean matches(LiveEvent event) {
        ThingId id = event.event().thingId();
        if (!namespaces.isEmpty() && !namespaces.contains(id.namespace()) || !ids.isEmpty() && !ids.contains(id)) {
            return false;
        }
        if (rql == null) {
            return true;
        }
        Thing thing = event.filterTarget();
        return thing != null && rql.test(thing);
    }

    /**
     * Reads {@code namespaces}, {@code ids} and {@code filter} from decoded parameters ({@code null} when absent).
     *
     * @param filters the RQL parser, or {@code null} when none is available
     * @throws TwinException 400 {@code things:filter.invalid} for a malformed filter, 400 {@code things:filter.notsupported}
     *     for a filter without a parser, 400 {@code things:id.invalid} / {@code things:query.invalid} for bad ids
     */
    static LiveFilter of(Function<String, String> parameters, ThingFilters filters) {
        Set<String> namespaces = new LinkedHashSet<>();
        String ns = parameters.apply("namespaces");
        if (ns != null) {
            for (String n : ns.split(",")) {
                if (!n.isBlank()) {
                    // validated as a thing id's namespace is
                    ThingId.of(n.trim(), "x");
                    namespaces.add(n.trim());
                }
            }
        }
        Set<ThingId> ids = new LinkedHashSet<>();
        String idText = parameters.apply("ids");
        if (idText != null) {
            for (String i : idText.split(",")) {
                if (!i.isBlank()) {
                    ids.add(ThingId.of(i.trim()));
                }
            }
            if (ids.size() > MAX_IDS) {
                throw new TwinException(400, "things:query.invalid", "Too many ids: " + ids.size() + " (at most " + MAX_IDS + ").",
                        "Select by namespaces, or open several streams.");
            }
        }
        Predicate<Thing> rql = null;
        String filter = parameters.apply("filter");
        if (filter != null && !filter.isBlank()) {
            if (filters == null) {
                throw new TwinException(400, "things:filter.notsupported",
                        "RQL filters on live streams need the search (feature rosetta-search), which is not running: '" + filter + "'.",
                        "Install the feature rosetta-search, or select things with namespaces=<ns1,ns2> and/or ids=<ns:name,...>.");
            }
            rql = filters.parse(filter);
        }
        return namespaces.isEmpty() && ids.isEmpty() && rql == null ? ALL : new LiveFilter(namespaces, ids, rql);
    }
}
