package io.rosetta.core.binding;

import java.util.Map;
import java.util.Objects;

/**
 * What the core counted for one binding since it started: devices attached to it, whether its
 * factory is registered, state reports accepted and refused (by reason, e.g.
 * {@code things:model.violation}), desired-state changes forwarded to its handlers and those
 * dropped because a device's queue was full.
 */
public record BindingStats(String bindingId, boolean available, int devices, int handlers, long reports, long refused,
                           Map<String, Long> refusedByReason, long desiredForwarded, long desiredDropped, long handlerFailures) {

    public BindingStats {
        Objects.requireNonNull(bindingId, "bindingId");
        refusedByReason = Map.copyOf(refusedByReason);
    }
}
