package io.rosetta.devices.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.devices.cfg}. */
@ObjectClassDefinition(name = "Rosetta device registry", description = "Provisioning, lifecycle, credentials and configuration of devices")
public @interface DevicesConfig {

    @AttributeDefinition(description = "Folder of the registry's snapshot, change log and audit trail; empty: ${karaf.data}/rosetta/devices")
    String data_dir() default "";

    @AttributeDefinition(description = "File of the key that seals the DTLS pre-shared keys (AES-256-GCM), created at first use; "
            + "empty: ${karaf.etc}/rosetta.devices.key. Keep it apart from backups of the data folder.")
    String key_file() default "";

    @AttributeDefinition(description = "Namespace of the twins of devices provisioned without a thingId (their thing id: <namespace>:<deviceId>)")
    String default_namespace() default "device";

    @AttributeDefinition(description = "When the change log is forced to disk: ALWAYS (before each answer), INTERVAL, NEVER. "
            + "A change always survives a crash of the server; INTERVAL and ALWAYS also cover power loss.")
    String fsync() default "INTERVAL";

    @AttributeDefinition(description = "Interval of the INTERVAL fsync policy, milliseconds")
    long fsync_interval_millis() default 1000;

    @AttributeDefinition(description = "Changes after which the registry writes a snapshot and empties its change log")
    long snapshot_every() default 100_000;

    @AttributeDefinition(description = "Argon2id memory of new MQTT password hashes, KiB (OWASP: 19456)")
    int kdf_memory_kib() default 19_456;

    @AttributeDefinition(description = "Argon2id passes of new MQTT password hashes (OWASP: 2)")
    int kdf_iterations() default 2;

    @AttributeDefinition(description = "Argon2id lanes of new MQTT password hashes")
    int kdf_parallelism() default 1;

    @AttributeDefinition(description = "Argon2id computations at a time (verifications and the hashing of imports); 0: half the processors, "
            + "at least one. Keeps password checks from taking the processors from data ingest.")
    int kdf_threads() default 0;

    @AttributeDefinition(description = "How long a password check waits for a free Argon2id slot before it is refused (BUSY), milliseconds")
    long kdf_wait_millis() default 2000;

    @AttributeDefinition(description = "Verified MQTT passwords remembered (HMAC under a key that exists only in memory); 0 disables the cache")
    int auth_cache_size() default 100_000;

    @AttributeDefinition(description = "How long a verified password is remembered, minutes")
    long auth_cache_ttl_minutes() default 1440;

    @AttributeDefinition(description = "Shortest MQTT password accepted")
    int password_min_length() default 8;

    @AttributeDefinition(description = "Shortest DTLS pre-shared key accepted, bytes")
    int psk_min_bytes() default 16;

    @AttributeDefinition(description = "Size of audit.log after which it becomes audit.log.1 (the one before is dropped), bytes")
    long audit_max_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "Rows an import file may have")
    int import_max_rows() default 1_000_000;
}
