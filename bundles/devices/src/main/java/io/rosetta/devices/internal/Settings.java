package io.rosetta.devices.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** The registry's configuration, checked; {@link #defaults} for tests and benchmarks. */
record Settings(Path dataDir, Path keyFile, String defaultNamespace, DeviceStore.Fsync fsync, long fsyncIntervalMillis,
                long snapshotEvery, Argon2Passwords.Parameters kdf, int kdfThreads, long kdfWaitMillis, int cacheSize,
                long cacheTtlMillis, int passwordMinLength, int pskMinBytes, long auditMaxBytes, int importMaxRows) {

    Settings {
        if (!io.rosetta.core.model.ThingId.isValid(defaultNamespace + ":x")) {
            throw new IllegalArgumentException("default.namespace '" + defaultNamespace + "' is not a thing namespace");
        }
        if (kdfThreads < 1 || snapshotEvery < 1 || passwordMinLength < 1 || pskMinBytes < 1 || importMaxRows < 1) {
            throw new IllegalArgumentException("kdf.threads, snapshot.every, password.min.length, psk.min.bytes and import.max.rows must be positive");
        }
    }

    static Settings of(DevicesConfig c) {
        Path data = c.data_dir().isBlank() ? Paths.get(System.getProperty("karaf.data", "data"), "rosetta", "devices") : Paths.get(c.data_dir());
        Path key = c.key_file().isBlank() ? Paths.get(System.getProperty("karaf.etc", "etc"), "rosetta.devices.key") : Paths.get(c.key_file());
        int threads = c.kdf_threads() > 0 ? c.kdf_threads() : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return new Settings(data, key, c.default_namespace().trim(), DeviceStore.Fsync.valueOf(c.fsync().trim().toUpperCase(Locale.ROOT)),
                Math.max(10, c.fsync_interval_millis()), c.snapshot_every(),
                new Argon2Passwords.Parameters(c.kdf_memory_kib(), c.kdf_iterations(), c.kdf_parallelism()), threads,
                Math.max(0, c.kdf_wait_millis()), Math.max(0, c.auth_cache_size()), Math.max(1, c.auth_cache_ttl_minutes()) * 60_000,
                c.password_min_length(), c.psk_min_bytes(), Math.max(1024, c.audit_max_bytes()), c.import_max_rows());
    }

    /** The defaults, with the data and the key in {@code dir}. */
    static Settings defaults(Path dir) {
        return new Settings(dir.resolve("devices"), dir.resolve("rosetta.devices.key"), "device", DeviceStore.Fsync.NEVER, 1000, 100_000,
                Argon2Passwords.Parameters.OWASP, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 2000, 100_000,
                24 * 3_600_000L, 8, 16, 64L * 1024 * 1024, 1_000_000);
    }

    /**
     * The defaults with the data and the key in {@code dir}, changed by the PID's keys in {@code properties}
     * ({@code kdf.memory.kib}, {@code kdf.iterations}, {@code kdf.parallelism}, {@code kdf.threads}, {@code auth.cache.size},
     * {@code snapshot.every}, {@code fsync}, {@code default.namespace}, {@code password.min.length}, {@code psk.min.bytes}),
     * for the registry outside OSGi (tests, benchmarks).
     */
    static Settings of(Path dir, java.util.Map<String, ?> properties) {
        Settings s = defaults(dir);
        java.util.function.Function<String, String> get = k -> properties.containsKey(k) ? String.valueOf(properties.get(k)).trim() : null;
        int memory = get.apply("kdf.memory.kib") == null ? s.kdf.memoryKiB() : Integer.parseInt(get.apply("kdf.memory.kib"));
        int iterations = get.apply("kdf.iterations") == null ? s.kdf.iterations() : Integer.parseInt(get.apply("kdf.iterations"));
        int lanes = get.apply("kdf.parallelism") == null ? s.kdf.parallelism() : Integer.parseInt(get.apply("kdf.parallelism"));
        return new Settings(s.dataDir, s.keyFile,
                get.apply("default.namespace") == null ? s.defaultNamespace : get.apply("default.namespace"),
                get.apply("fsync") == null ? s.fsync : DeviceStore.Fsync.valueOf(get.apply("fsync").toUpperCase(Locale.ROOT)),
                s.fsyncIntervalMillis,
                get.apply("snapshot.every") == null ? s.snapshotEvery : Long.parseLong(get.apply("snapshot.every")),
                new Argon2Passwords.Parameters(memory, iterations, lanes),
                get.apply("kdf.threads") == null ? s.kdfThreads : Integer.parseInt(get.apply("kdf.threads")),
                s.kdfWaitMillis,
                get.apply("auth.cache.size") == null ? s.cacheSize : Integer.parseInt(get.apply("auth.cache.size")),
                s.cacheTtlMillis,
                get.apply("password.min.length") == null ? s.passwordMinLength : Integer.parseInt(get.apply("password.min.length")),
                get.apply("psk.min.bytes") == null ? s.pskMinBytes : Integer.parseInt(get.apply("psk.min.bytes")),
                s.auditMaxBytes, s.importMaxRows);
    }

    Settings withKdf(Argon2Passwords.Parameters p) {
        return new Settings(dataDir, keyFile, defaultNamespace, fsync, fsyncIntervalMillis, snapshotEvery, p, kdfThreads, kdfWaitMillis,
                cacheSize, cacheTtlMillis, passwordMinLength, pskMinBytes, auditMaxBytes, importMaxRows);
    }

    Settings withSnapshotEvery(long n) {
        return new Settings(dataDir, keyFile, defaultNamespace, fsync, fsyncIntervalMillis, n, kdf, kdfThreads, kdfWaitMillis,
                cacheSize, cacheTtlMillis, passwordMinLength, pskMinBytes, auditMaxBytes, importMaxRows);
    }

    Settings withCacheSize(int n) {
        return new Settings(dataDir, keyFile, defaultNamespace, fsync, fsyncIntervalMillis, snapshotEvery, kdf, kdfThreads, kdfWaitMillis,
                n, cacheTtlMillis, passwordMinLength, pskMinBytes, auditMaxBytes, importMaxRows);
    }

    Settings withKdfThreads(int n) {
        return new Settings(dataDir, keyFile, defaultNamespace, fsync, fsyncIntervalMillis, snapshotEvery, kdf, n, kdfWaitMillis,
                cacheSize, cacheTtlMillis, passwordMinLength, pskMinBytes, auditMaxBytes, importMaxRows);
    }

    Settings withFsync(DeviceStore.Fsync f) {
        return new Settings(dataDir, keyFile, defaultNamespace, f, fsyncIntervalMillis, snapshotEvery, kdf, kdfThreads, kdfWaitMillis,
                cacheSize, cacheTtlMillis, passwordMinLength, pskMinBytes, auditMaxBytes, importMaxRows);
    }
}
