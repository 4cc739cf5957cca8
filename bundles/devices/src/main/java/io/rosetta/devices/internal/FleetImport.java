package io.rosetta.devices.internal;

import io.rosetta.core.model.ThingId;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportProgress;
import io.rosetta.devices.ImportReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet import, in batches of {@value #BATCH} rows: each row is checked without the registry's lock (its fields, the
 * caller's rights, duplicates within the file and against the registry), the batch's passwords are hashed on the KDF
 * threads, then the registry commits the batch ({@link DeviceRegistryImpl#commitImport}), checking it again under its
 * lock. An atomic import commits every valid row in one batch at the end, and only when no row was rejected; a dry run
 * commits nothing and hashes nothing.
 */
final class FleetImport {

    static final int BATCH = 512;
    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(FleetImport.class);

    private final DeviceRegistryImpl registry;
    private final SpecChecker checker;
    private final ExecutorService kdf;

    FleetImport(DeviceRegistryImpl registry, SpecChecker checker, ExecutorService kdf) {
        this.registry = registry;
        this.checker = checker;
        this.kdf = kdf;
    }

    /** One import: its rows, their errors, and the keys that earlier rows of the file took. */
    private static final class Run {
        final List<ImportParser.Row> rows;
        final ImportReport.RowError[] errors;
        final Map<String, Integer> ids = new HashMap<>();
        final Map<ThingId, Integer> things = new HashMap<>();
        final Map<String, Integer> usernames = new HashMap<>();
        final Map<String, Integer> identities = new HashMap<>();
        final Map<String, Integer> certificates = new HashMap<>();
        final List<SpecChecker.Prepared> pending = new ArrayList<>();
        final List<Integer> pendingIndexes = new ArrayList<>();
        final ImportProgress progress;
        int rejected;
        int valid;
        int imported;
        int processed;
        long lastProgress;

        Run(List<ImportParser.Row> rows, ImportProgress progress) {
            this.rows = rows;
            this.errors = new ImportReport.RowError[rows.size()];
            this.progress = progress;
        }

        void reject(int i, String code, String message) {
            if (errors[i] == null) {
                ImportParser.Row r = rows.get(i);
                errors[i] = new ImportReport.RowError(r.row(), r.deviceId(), code, message);
                rejected++;
            }
        }

        void report(boolean last) {
            long now = System.nanoTime();
            if (last || now - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = now;
                progress.progress(processed, rows.size(), rejected);
            }
        }
    }

    ImportReport run(List<ImportParser.Row> rows, ImportOptions options, ImportProgress progress, String actor) {
        long start = System.nanoTime();
        Run run = new Run(rows, progress);
        progress.progress(0, rows.size(), 0);
        for (int from = 0; from < rows.size(); from += BATCH) {
            int to = Math.min(rows.size(), from + BATCH);
            SpecChecker.Checked[] checked = new SpecChecker.Checked[to - from];
            for (int i = from; i < to; i++) {
                checked[i - from] = check(run, i, options);
            }
            SpecChecker.Prepared[] prepared = prepare(run, from, checked, options.dryRun());
            for (int i = 0; i < prepared.length; i++) {
                if (prepared[i] != null) {
                    run.valid++;
                    run.pending.add(prepared[i]);
                    run.pendingIndexes.add(from + i);
                }
            }
            if (!options.dryRun() && !options.atomic()) {
                commit(run, actor, false);
            }
            run.processed = to;
            run.report(false);
        }
        if (options.atomic() && !options.dryRun() && run.rejected == 0) {
            commit(run, actor, true);
        }
        run.processed = rows.size();
        run.report(true);
        List<ImportReport.RowError> errors = new ArrayList<>(run.rejected);
        for (ImportReport.RowError e : run.errors) {
            if (e != null) {
                errors.add(e);
            }
        }
        registry.countRejectedRows(run.rejected);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (run.imported > 0 || run.rejected > 0) {
            LOG.info("Import by {}: {} rows, {} imported, {} rejected{}{} in {} ms", actor, rows.size(), run.imported, run.rejected,
                    options.dryRun() ? " (dry run)" : "", options.atomic() ? " (atomic)" : "", millis);
        }
        return new ImportReport(rows.size(), run.valid, run.rejected, run.imported, options.dryRun(), options.atomic(), errors, millis);
    }

    /** Checks a row without the lock: its fields, the caller's rights, duplicates in the file and in the registry. */
    private SpecChecker.Checked check(Run run, int i, ImportOptions options) {
        ImportParser.Row row = run.rows.get(i);
        if (row.spec() == null) {
            run.reject(i, row.error(), row.message());
            return null;
        }
        SpecChecker.Checked c;
        try {
            c = checker.check(row.spec());
        } catch (DeviceException e) {
            run.reject(i, e.errorCode(), e.getMessage());
            return null;
        }
        if (!options.allowed().test(c.thingId())) {
            run.reject(i, DeviceException.IMPORT_FORBIDDEN, "The caller may not administer the namespace '" + c.thingId().namespace() + "'.");
            return null;
        }
        String dup = taken(run.ids, c.deviceId(), "the device id '" + c.deviceId() + "'", row.row());
        dup = dup != null ? dup : taken(run.things, c.thingId(), "the twin " + c.thingId(), row.row());
        String code = DeviceException.CONFLICT;
        if (dup == null) {
            code = DeviceException.CREDENTIALS_DUPLICATE;
            dup = c.mqttUsername() == null ? null : taken(run.usernames, c.mqttUsername(), "the MQTT username '" + c.mqttUsername() + "'", row.row());
            dup = dup != null || c.pskIdentity() == null ? dup : taken(run.identities, c.pskIdentity(), "the PSK identity '" + c.pskIdentity() + "'", row.row());
            dup = dup != null || c.x509() == null ? dup : taken(run.certificates, c.x509(), "the certificate " + c.x509(), row.row());
        }
        if (dup != null) {
            run.reject(i, code, dup);
            return null;
        }
        DeviceException conflict = registry.conflict(c);
        if (conflict != null) {
            run.reject(i, conflict.errorCode(), conflict.getMessage());
            return null;
        }
        return c;
    }

    /** {@code null}, or the message for a key that an earlier row of the file has; the key is taken otherwise. */
    private static <K> String taken(Map<K, Integer> taken, K key, String what, int row) {
        Integer first = taken.putIfAbsent(key, row);
        return first == null ? null : "Duplicate in the file: " + what + " is also on row " + first + ".";
    }

    /** Hashes the passwords of a batch on the KDF threads (not in a dry run), reporting progress as they finish. */
    private SpecChecker.Prepared[] prepare(Run run, int from, SpecChecker.Checked[] checked, boolean dryRun) {
        SpecChecker.Prepared[] out = new SpecChecker.Prepared[checked.length];
        List<Integer> slow = new ArrayList<>();
        for (int i = 0; i < checked.length; i++) {
            SpecChecker.Checked c = checked[i];
            if (c == null) {
                continue;
            }
            if (dryRun) {
                out[i] = new SpecChecker.Prepared(c.deviceId(), c.thingId(), c.binding(), c.modelId(), Credentials.none(), null, c.configuration());
            } else if (c.needsHash()) {
                slow.add(i);
            } else {
                out[i] = checker.finish(c);
            }
        }
        List<Future<SpecChecker.Prepared>> futures = new ArrayList<>(slow.size());
        for (int i : slow) {
            SpecChecker.Checked c = checked[i];
            futures.add(kdf.submit(() -> registry.withKdfSlot(() -> checker.finish(c))));
        }
        for (int k = 0; k < futures.size(); k++) {
            int i = slow.get(k);
            try {
                out[i] = futures.get(k).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new DeviceException(503, DeviceException.STORAGE_FAILED, "The import was interrupted; rows before row "
                        + run.rows.get(from).row() + " may have been imported.", "See the audit trail (rosetta:audit).");
            } catch (ExecutionException e) {
                run.reject(from + i, DeviceException.CREDENTIALS_INVALID, "The credentials could not be prepared: " + e.getCause().getMessage());
            }
            run.processed = from + i;
            run.report(false);
        }
        return out;
    }

    private void commit(Run run, String actor, boolean atomic) {
        List<Integer> rowNumbers = new ArrayList<>(run.pendingIndexes.size());
        run.pendingIndexes.forEach(i -> rowNumbers.add(run.rows.get(i).row()));
        DeviceRegistryImpl.BatchResult result = registry.commitImport(run.pending, rowNumbers, actor, atomic);
        result.refused().forEach((k, e) -> {
            run.reject(run.pendingIndexes.get(k), e.errorCode(), e.getMessage());
            run.valid--;
        });
        run.imported += result.imported();
        run.pending.clear();
        run.pendingIndexes.clear();
    }
}
