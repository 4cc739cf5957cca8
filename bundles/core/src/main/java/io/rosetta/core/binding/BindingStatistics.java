package io.rosetta.core.binding;

import java.util.List;
import java.util.Optional;

/** A read-only view of the bindings and their counters, for the shell and monitoring. */
public interface BindingStatistics {

    /** One entry per binding that has a factory registered or devices attached, sorted by id. */
    List<BindingStats> bindingStats();

    Optional<BindingStats> bindingStats(String bindingId);
}
