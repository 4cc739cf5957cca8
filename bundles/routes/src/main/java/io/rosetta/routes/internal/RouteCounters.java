package io.rosetta.routes.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters of the {@code rosetta} component's endpoints. */
final class RouteCounters {
    final LongAdder eventsDelivered = new LongAdder();
    final LongAdder eventsFailed = new LongAdder();
    final LongAdder patchesApplied = new LongAdder();
    final LongAdder patchesRefused = new LongAdder();
}
