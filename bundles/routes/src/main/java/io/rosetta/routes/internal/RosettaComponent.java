package io.rosetta.routes.internal;

import io.rosetta.core.registry.ThingFilters;
import io.rosetta.core.registry.TwinRegistry;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The Camel component {@value #NAME} for integrator routes:
 * <ul>
 * <li>{@code rosetta:events[?filter=<RQL>&namespaces=a,b&types=modified,merged&extraFields=attributes]} — a consumer of
 * twin events as Ditto protocol event envelopes ({@link RosettaEventsEndpoint});</li>
 * <li>{@code rosetta:patch[?thingId=ns:name&path=/features/x/properties]} — a producer that applies the body, a JSON merge
 * patch, to a twin ({@link RosettaPatchEndpoint}).</li>
 * </ul>
 * RQL filters need the {@link ThingFilters} service of the search bundle; without it an endpoint with {@code filter=} is refused.
 */
final class RosettaComponent extends DefaultComponent {

    static final String NAME = "rosetta";

    private final TwinRegistry registry;
    private final RouteCounters counters;
    private volatile ThingFilters filters;

    RosettaComponent(TwinRegistry registry, ThingFilters filters, RouteCounters counters) {
        this.registry = registry;
        this.filters = filters;
        this.counters = counters;
    }

    void setFilters(ThingFilters filters) {
        this.filters = filters;
    }

    ThingFilters filters() {
        return filters;
    }

    TwinRegistry registry() {
        return registry;
    }

    RouteCounters counters() {
        return counters;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String kind = remaining == null ? "" : remaining.replaceFirst("^/+", "");
        switch (kind) {
            case RosettaEventsEndpoint.KIND -> {
                RosettaEventsEndpoint endpoint = new RosettaEventsEndpoint(uri, this);
                setProperties(endpoint, parameters);
                endpoint.prepare();
                return endpoint;
            }
            case RosettaPatchEndpoint.KIND -> {
                RosettaPatchEndpoint endpoint = new RosettaPatchEndpoint(uri, this);
                setProperties(endpoint, parameters);
                endpoint.prepare();
                return endpoint;
            }
            default -> throw new IllegalArgumentException("Unknown endpoint '" + uri + "': the rosetta component has "
                    + NAME + ":" + RosettaEventsEndpoint.KIND + " (twin events) and " + NAME + ":" + RosettaPatchEndpoint.KIND + " (merge patches)");
        }
    }
}
