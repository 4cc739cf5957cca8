package io.rosetta.api.internal.live;

import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Which things a live client hears about: {@code namespaces=a,b} and {@code ids=a:x,b:y} (both
 * optional; when both are given a thing must pass both). RQL {@code filter=} expressions need the
 * search bundle's parser, which is not part of this build yet: a request with {@code filter} is
 * refused with 400 {@code things:filter.notsupported} rather than silently ignoring it.
 */
record LiveFilter(Set<String> namespaces, Set<ThingId> ids) {

    static final LiveFilter ALL = new LiveFilter(Set.of(), Set.of());
    private static final int MAX_IDS = 1000;

    LiveFilter {
        namespaces = Set.copyOf(namespaces);
        ids = Set.copyOf(ids);
    }

    boolean matches(ThingId id) {
        return (namespaces.isEmpty() || namespaces.contains(id.namespace())) && (ids.isEmpty() || ids.contains(id));
    }

    /** Reads {@code namespaces}, {@code ids} and {@code filter} from decoded parameters ({@code null} when absent). */
    static LiveFilter of(Function<String, String> parameters) {
        String filter = parameters.apply("filter");
        if (filter != null && !filter.isBlank()) {
            throw new TwinException(400, "things:filter.notsupported",
                    "RQL filters are not supported on live streams yet: '" + filter + "'.",
                    "Select things with namespaces=<ns1,ns2> and/or ids=<ns:name,...>.");
        }
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
        return namespaces.isEmpty() && ids.isEmpty() ? ALL : new LiveFilter(namespaces, ids);
    }
}
