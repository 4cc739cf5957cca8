package io.rosetta.core.registry;

/**
 * Counters of the registry since it started. {@code subscribers} counts subscribers and listeners;
 * {@code eventsDropped} counts events a subscriber's full buffer lost and events a listener failed on.
 */
public record RegistryStats(int things, long writes, long refused, long modelViolations, long eventsPublished,
                            long eventsDropped, int subscribers, long journalBytes, long recoveredRecords,
                            long recoveryMillis) {
}
