package io.rosetta.core.registry;

/** Counters of the registry since it started. */
public record RegistryStats(int things, long writes, long refused, long modelViolations, long eventsPublished,
                            long eventsDropped, int subscribers, long journalBytes, long recoveredRecords,
                            long recoveryMillis) {
}
