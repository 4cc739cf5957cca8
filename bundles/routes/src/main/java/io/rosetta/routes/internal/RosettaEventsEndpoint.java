package io.rosetta.routes.internal;

import io.rosetta.core.model.FieldSelector;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import io.rosetta.core.registry.TwinEvent;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code rosetta:events}: twin events for a route, as Ditto protocol event envelopes. Options:
 * <ul>
 * <li>{@code filter} — an RQL expression over the twin after the change (as for the search); needs the search bundle's
 * filter service;</li>
 * <li>{@code namespaces} — comma-separated namespaces; empty means all;</li>
 * <li>{@code types} — comma-separated {@code created, modified, merged, deleted} (the default: all four, Ditto's events)
 * and Rosetta's own {@code connectivity, lifecycle};</li>
 * <li>{@code extraFields} — a field selection of the twin sent along as the envelope's {@code extra} (as on the WebSocket).</li>
 * </ul>
 */
public final class RosettaEventsEndpoint extends DefaultEndpoint {

    static final String KIND = "events";
    static final Set<TwinEvent.Type> DITTO_TYPES = EnumSet.of(TwinEvent.Type.CREATED, TwinEvent.Type.MODIFIED, TwinEvent.Type.MERGED,
            TwinEvent.Type.DELETED);

    private String filter;
    private String namespaces;
    private String types;
    private String extraFields;

    private Predicate<Thing> predicate;
    private Set<String> namespaceSet = Set.of();
    private Set<TwinEvent.Type> typeSet = DITTO_TYPES;
    private FieldSelector extra;

    RosettaEventsEndpoint(String uri, RosettaComponent component) {
        super(uri, component);
    }

    @Override
    public RosettaComponent getComponent() {
        return (RosettaComponent) super.getComponent();
    }

    /** Checks and compiles the options; a problem is an {@link IllegalArgumentException} that says what to change. */
    void prepare() {
        if (filter != null && !filter.isBlank()) {
            ThingFilters filters = getComponent().filters();
            if (filters == null) {
                throw new FilterServiceMissingException("rosetta:events with filter= needs the RQL filter service of the search "
                        + "(feature rosetta-search), which is not running: install it (the file is loaded again when it runs), or remove filter= from " + getEndpointUri());
            }
            try {
                predicate = filters.parse(filter);
            } catch (TwinException e) {
                throw new IllegalArgumentException("rosetta:events has an invalid filter '" + filter + "': " + e.getMessage(), e);
            }
        }
        if (namespaces != null && !namespaces.isBlank()) {
            namespaceSet = Arrays.stream(namespaces.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
        if (types != null && !types.isBlank()) {
            Set<TwinEvent.Type> parsed = EnumSet.noneOf(TwinEvent.Type.class);
            for (String t : types.split(",")) {
                String name = t.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    parsed.add(typeOf(name));
                }
            }
            typeSet = parsed.isEmpty() ? DITTO_TYPES : parsed;
        }
        if (extraFields != null && !extraFields.isBlank()) {
            try {
                extra = FieldSelector.of(extraFields);
            } catch (TwinException e) {
                throw new IllegalArgumentException("rosetta:events has invalid extraFields '" + extraFields + "': " + e.getMessage(), e);
            }
        }
    }

    private static TwinEvent.Type typeOf(String name) {
        return switch (name) {
            case "created" -> TwinEvent.Type.CREATED;
            case "modified" -> TwinEvent.Type.MODIFIED;
            case "merged" -> TwinEvent.Type.MERGED;
            case "deleted" -> TwinEvent.Type.DELETED;
            case "connectivity" -> TwinEvent.Type.CONNECTIVITY_CHANGED;
            case "lifecycle" -> TwinEvent.Type.LIFECYCLE_CHANGED;
            default -> throw new IllegalArgumentException("rosetta:events has an unknown type '" + name
                    + "' in types=: use created, modified, merged, deleted, connectivity or lifecycle");
        };
    }

    /**
     * Whether the route gets the event: its type and namespace are selected, and the filter (if any) matches the twin
     * after the change. A deleted thing has no state to match: with a filter, deletions of whole things are not delivered.
     */
    boolean accepts(TwinEvent event) {
        if (!typeSet.contains(event.type())) {
            return false;
        }
        if (!namespaceSet.isEmpty() && !namespaceSet.contains(event.thingId().namespace())) {
            return false;
        }
        Predicate<Thing> p = predicate;
        return p == null || (event.thing() != null && p.test(event.thing()));
    }

    FieldSelector extra() {
        return extra;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RosettaEventsConsumer consumer = new RosettaEventsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("rosetta:events only delivers events (use it in from:); to change a twin use rosetta:patch");
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    // ---- options (set by Camel from the URI)

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    public String getNamespaces() {
        return namespaces;
    }

    public void setNamespaces(String namespaces) {
        this.namespaces = namespaces;
    }

    public String getTypes() {
        return types;
    }

    public void setTypes(String types) {
        this.types = types;
    }

    public String getExtraFields() {
        return extraFields;
    }

    public void setExtraFields(String extraFields) {
        this.extraFields = extraFields;
    }
}
