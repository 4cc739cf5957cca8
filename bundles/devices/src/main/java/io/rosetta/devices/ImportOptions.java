package io.rosetta.devices;

import io.rosetta.core.model.ThingId;
import java.util.function.Predicate;

/**
 * How to import a fleet.
 *
 * @param dryRun  check every row (including duplicates against the registry) but change nothing
 * @param atomic  all or nothing: when any row is rejected, import none
 * @param allowed which twins the caller may provision (the HTTP API passes the caller's ADMIN namespaces); a row for
 *                another twin is rejected with {@code devices:import.forbidden}
 */
public record ImportOptions(boolean dryRun, boolean atomic, Predicate<ThingId> allowed) {

    private static final ImportOptions DEFAULTS = new ImportOptions(false, false, id -> true);

    public ImportOptions {
        allowed = allowed == null ? id -> true : allowed;
    }

    public static ImportOptions defaults() {
        return DEFAULTS;
    }

    public ImportOptions withDryRun(boolean dryRun) {
        return new ImportOptions(dryRun, atomic, allowed);
    }

    public ImportOptions withAtomic(boolean atomic) {
        return new ImportOptions(dryRun, atomic, allowed);
    }

    public ImportOptions withAllowed(Predicate<ThingId> allowed) {
        return new ImportOptions(dryRun, atomic, allowed);
    }
}
