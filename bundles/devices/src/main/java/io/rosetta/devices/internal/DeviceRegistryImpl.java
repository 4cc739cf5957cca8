package io.rosetta.devices.internal;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.MergePatch;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.core.registry.TwinTemplates;
import io.rosetta.devices.Admission;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.AuthResult;
import io.rosetta.devices.ConfigurationStatus;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.CredentialsUpdate;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.DeviceListener;
import io.rosetta.devices.DevicePage;
import io.rosetta.devices.DeviceQuery;
import io.rosetta.devices.DeviceRegistry;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.DeviceStats;
import io.rosetta.devices.ImportFormat;
import io.rosetta.devices.ImportOptions;
import io.rosetta.devices.ImportProgress;
import io.rosetta.devices.ImportReport;
import io.rosetta.models.ModelRegistry;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry. State lives in immutable {@link Device} records in concurrent maps (by id, twin, MQTT username,
 * PSK identity and certificate fingerprint), so reads and authentications take no lock. Changes take one write lock:
 * they are checked, written to the twin (create, lifecycle, configuration) and appended to the {@link DeviceStore}
 * before the maps change and the listeners hear of it. Argon2id work (hashing imports, verifying passwords) runs on
 * at most {@code kdf.threads} threads at a time.
 *
 * <p>On activation the store is recovered, then every twin is brought in line with its device (a twin that a crash
 * or a deletion took away is made again; a lifecycle that a crash kept from the twin is applied).
 */
@Component(service = DeviceRegistry.class, configurationPid = DeviceRegistryImpl.PID, immediate = true)
@Designate(ocd = DevicesConfig.class)
public final class DeviceRegistryImpl implements DeviceRegistry {

    public static final String PID = "io.rosetta.devices";
    static final String CONTACT_ACTOR = "binding";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistryImpl.class);

    private final TwinRegistry twins;
    private final TwinTemplates templates;
    private final Settings settings;
    private final Clock clock;
    private final DeviceStore store;
    private final SpecChecker checker;
    private final VerifiedCredentials verified;
    private final Semaphore kdfSlots;
    private final ScheduledThreadPoolExecutor executor;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final FleetImport imports;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private final ConcurrentHashMap<String, Device> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ThingId, String> byThing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> byUsername = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> byPskIdentity = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> byCertificate = new ConcurrentHashMap<>();
    /** Argon2id checks running now, by username, credentials version and candidate password (its HMAC). */
    private final ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<AuthResult.Outcome>> inFlight = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<DeviceListener> listeners = List.of();
    private final List<DeviceListener> localListeners = new CopyOnWriteArrayList<>();

    private final LongAdder authAccepted = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> authRefused = new ConcurrentHashMap<>();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder kdfVerifications = new LongAdder();
    private final LongAdder kdfNanos = new LongAdder();
    private final LongAdder importedRows = new LongAdder();
    private final LongAdder rejectedRows = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder listenerFailures = new LongAdder();

    @Activate
    public DeviceRegistryImpl(@Reference TwinRegistry twins, @Reference ModelRegistry models, @Reference TwinTemplates templates,
                              DevicesConfig config) {
        this(twins, models, templates, Settings.of(config), Clock.systemUTC());
    }

    /**
     * A registry outside OSGi (tests, benchmarks) keeping its files in {@code dir}, configured by the PID's keys in
     * {@code properties} (see docs/ADMIN.md).
     */
    public static DeviceRegistryImpl open(TwinRegistry twins, ModelRegistry models, TwinTemplates templates, java.nio.file.Path dir,
                                          Map<String, ?> properties) {
        return new DeviceRegistryImpl(twins, models, templates, Settings.of(dir, properties), Clock.systemUTC());
    }

    DeviceRegistryImpl(TwinRegistry twins, ModelRegistry models, TwinTemplates templates, Settings settings, Clock clock) {
        this.twins = twins;
        this.templates = templates;
        this.settings = settings;
        this.clock = clock;
        long start = System.nanoTime();
        SecureRandom random = new SecureRandom();
        this.store = DeviceStore.open(settings.dataDir(), settings.fsync(), settings.auditMaxBytes());
        try {
            boolean sealedKeys = store.recovered().values().stream().anyMatch(d -> d.credentials().sealedPskKey() != null);
            SecretBox box = SecretBox.open(settings.keyFile(), !sealedKeys, random);
            this.checker = new SpecChecker(models, settings.defaultNamespace(), settings.passwordMinLength(), settings.pskMinBytes(),
                    new Argon2Passwords(settings.kdf(), random), box);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.verified = new VerifiedCredentials(settings.cacheSize(), settings.cacheTtlMillis(), random);
        this.kdfSlots = new Semaphore(settings.kdfThreads(), true);
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(settings.kdfThreads(), r -> {
            Thread t = new Thread(r, "rosetta-devices-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.imports = new FleetImport(this, checker, executor);
        store.recovered().values().forEach(d -> index(null, d));
        store.recovered().clear();
        if (settings.fsync() == DeviceStore.Fsync.INTERVAL) {
            executor.scheduleWithFixedDelay(this::force, settings.fsyncIntervalMillis(), settings.fsyncIntervalMillis(), TimeUnit.MILLISECONDS);
        }
        reconcileTwins();
        LOG.info("Device registry: {} devices from {} ({} changes replayed) in {} ms; Argon2id m={} KiB t={} p={}, {} KDF threads",
                byId.size(), settings.dataDir(), store.recoveredRecords(), (System.nanoTime() - start) / 1_000_000,
                settings.kdf().memoryKiB(), settings.kdf().iterations(), settings.kdf().parallelism(), settings.kdfThreads());
    }

    @Deactivate
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        executor.shutdownNow();
        writeLock.lock();
        try {
            if (store.sinceSnapshot() >= Math.min(10_000, settings.snapshotEvery())) {
                store.snapshot(byId.values());
            }
            store.close();
        } finally {
            writeLock.unlock();
        }
    }

    /** Listeners outside OSGi (tests, benchmarks); inside, publish a {@link DeviceListener} service. */
    public void addListener(DeviceListener listener) {
        localListeners.add(listener);
    }

    public void removeListener(DeviceListener listener) {
        localListeners.remove(listener);
    }

    private void force() {
        writeLock.lock();
        try {
            store.force();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- provisioning -----------------------------------------------------------------------------------------------

    @Override
    public Device provision(DeviceSpec spec, String actor, String reason) {
        try {
            SpecChecker.Checked checked = checker.check(spec);
            SpecChecker.Prepared p = checked.needsHash() ? withKdfSlot(() -> checker.finish(checked)) : checker.finish(checked);
            writeLock.lock();
            try {
                DeviceException conflict = conflict(p.deviceId(), p.thingId(), p.credentials(), null);
                if (conflict != null) {
                    throw conflict;
                }
                Provisioned made = makeTwin(p);
                Device device = made.device();
                AuditEntry audit = audit(store.lastSeq() + 1, actor, device.deviceId(), AuditEntry.Action.PROVISIONED,
                        provisionDetail(device, made.twinCreated()), reason);
                try {
                    store.append(List.of(new DeviceStore.Change(device, audit)));
                } catch (UncheckedIOException e) {
                    undo(made);
                    throw DeviceException.storageFailed(e.getMessage());
                }
                index(null, device);
                maybeSnapshot();
                notify(new DeviceEvent(DeviceEvent.Type.PROVISIONED, null, device, actor, reason, p.password()));
                return device;
            } finally {
                writeLock.unlock();
            }
        } catch (DeviceException e) {
            throw refuse(e);
        }
    }

    private static String provisionDetail(Device d, boolean twinCreated) {
        return "model " + d.modelId() + ", twin " + d.thingId() + (twinCreated ? " (created)" : " (existing, " + d.state() + ")")
                + (d.binding() == null ? "" : ", binding " + d.binding());
    }

    /** A device made, and what was done to its twin (to undo it when the change cannot be stored). */
    private record Provisioned(Device device, boolean twinCreated, JsonObject previousDesired, boolean desiredChanged) {
    }

    /** Creates or adopts the twin; under the write lock. */
    private Provisioned makeTwin(SpecChecker.Prepared p) {
        Instant now = now();
        Thing twin = twins.retrieve(p.thingId()).orElse(null);
        if (twin == null) {
            Thing t = templates.newTwin(p.thingId(), p.modelId()).orElseGet(() -> Thing.newBuilder(p.thingId()).definition(p.modelId()).build());
            t = withDesired(t, p.configuration()).toBuilder().lifecycle(LifecycleState.PROVISIONED).build();
            try {
                twins.create(t);
            } catch (TwinException e) {
                throw new DeviceException(e.status() == 409 ? 409 : 400, e.status() == 409 ? DeviceException.CONFLICT : DeviceException.INVALID,
                        "The twin " + p.thingId() + " cannot be created: " + e.getMessage(), e.description());
            }
            return new Provisioned(device(p, LifecycleState.PROVISIONED, now), true, null, false);
        }
        if (twin.definition().isPresent() && !twin.definition().get().equals(p.modelId())) {
            throw DeviceException.conflict("The twin " + p.thingId() + " follows the model " + twin.definition().get() + ", not "
                    + p.modelId() + ".");
        }
        LifecycleState state = twin.lifecycle();
        JsonObject previous = desired(twin);
        boolean changed = false;
        if (!p.configuration().isEmpty()) {
            mergeDesired(p.thingId(), p.configuration());
            changed = true;
        }
        return new Provisioned(device(p, state, now), false, previous, changed);
    }

    private static Device device(SpecChecker.Prepared p, LifecycleState state, Instant now) {
        return new Device(p.deviceId(), p.thingId(), p.binding(), p.modelId(), state, p.credentials(), p.configuration(), now, now);
    }

    private void undo(Provisioned made) {
        ThingId id = made.device().thingId();
        try {
            if (made.twinCreated()) {
                twins.delete(id, JsonPointer.empty(), Precondition.none());
            } else if (made.desiredChanged()) {
                restoreDesired(id, made.previousDesired());
            }
        } catch (TwinException e) {
            LOG.warn("The twin {} could not be put back after a failed provisioning: {}", id, e.getMessage());
        }
    }

    /**
     * Why a device with these ids and credentials cannot be added (or changed, for {@code self}), or {@code null}.
     * Under the write lock for a decision; without it as an early check.
     */
    private DeviceException conflict(String deviceId, ThingId thingId, Credentials c, String self) {
        if (self == null) {
            Device existing = byId.get(deviceId);
            if (existing != null) {
                return existing.state() == LifecycleState.DECOMMISSIONED ? DeviceException.decommissioned(deviceId)
                        : DeviceException.conflict("A device with the id '" + deviceId + "' exists.");
            }
            String owner = byThing.get(thingId);
            if (owner != null) {
                return DeviceException.conflict("The twin " + thingId + " belongs to the device '" + owner + "'.");
            }
            Thing twin = twins.retrieve(thingId).orElse(null);
            if (twin != null && twin.lifecycle() == LifecycleState.DECOMMISSIONED) {
                return new DeviceException(409, DeviceException.DECOMMISSIONED, "The twin " + thingId + " is decommissioned; it cannot be "
                        + "used again.", "Give the device another thingId.");
            }
        }
        String other = c.mqttUsername() == null ? null : byUsername.get(c.mqttUsername());
        if (other != null && !other.equals(self)) {
            return duplicate("the MQTT username '" + c.mqttUsername() + "'", other);
        }
        other = c.pskIdentity() == null ? null : byPskIdentity.get(c.pskIdentity());
        if (other != null && !other.equals(self)) {
            return duplicate("the PSK identity '" + c.pskIdentity() + "'", other);
        }
        other = c.x509Sha256() == null ? null : byCertificate.get(c.x509Sha256());
        if (other != null && !other.equals(self)) {
            return duplicate("the certificate " + c.x509Sha256(), other);
        }
        return null;
    }

    private static DeviceException duplicate(String what, String owner) {
        return new DeviceException(409, DeviceException.CREDENTIALS_DUPLICATE, "Duplicate credentials: " + what + " belongs to the device '"
                + owner + "'.", "Credentials identify one device: choose others.");
    }

    @Override
    public ThingId thingIdFor(DeviceSpec spec) {
        try {
            return checker.thingId(spec);
        } catch (DeviceException e) {
            throw refuse(e);
        }
    }

    // ---- import -----------------------------------------------------------------------------------------------------

    @Override
    public ImportReport importDevices(ImportFormat format, InputStream in, ImportOptions options, ImportProgress progress, String actor) {
        List<ImportParser.Row> rows;
        try {
            rows = ImportParser.parse(format, in, settings.importMaxRows());
        } catch (DeviceException e) {
            throw refuse(e);
        }
        return imports.run(rows, options, progress, actor);
    }

    @Override
    public ImportReport importDevices(List<DeviceSpec> specs, ImportOptions options, ImportProgress progress, String actor) {
        List<ImportParser.Row> rows = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            rows.add(ImportParser.Row.ok(i + 1, specs.get(i)));
        }
        return imports.run(rows, options, progress, actor);
    }

    /** Why a checked import row cannot be added as things are now (without the lock: an early answer), or {@code null}. */
    DeviceException conflict(SpecChecker.Checked c) {
        return conflict(c.deviceId(), c.thingId(), new Credentials(0, c.mqttUsername(), null, c.pskIdentity(), null, c.x509()), null);
    }

    /** What became of a batch of import rows: the refused ones by their position in the batch. */
    record BatchResult(Map<Integer, DeviceException> refused, int imported) {
    }

    /**
     * Commits prepared import rows under the write lock: checks them again (the registry may have changed since they
     * were checked), makes their twins, appends them to the store in one write, then tells the listeners.
     * {@code atomic}: any refusal undoes the twins made and imports none. {@code rowNumbers} name the rows in the file.
     */
    BatchResult commitImport(List<SpecChecker.Prepared> rows, List<Integer> rowNumbers, String actor, boolean atomic) {
        Map<Integer, DeviceException> refusals = new HashMap<>();
        if (rows.isEmpty()) {
            return new BatchResult(refusals, 0);
        }
        writeLock.lock();
        try {
            List<Provisioned> made = new ArrayList<>(rows.size());
            List<DeviceStore.Change> changes = new ArrayList<>(rows.size());
            List<String> passwords = new ArrayList<>(rows.size());
            long seq = store.lastSeq();
            for (int k = 0; k < rows.size(); k++) {
                SpecChecker.Prepared p = rows.get(k);
                DeviceException refusal = conflict(p.deviceId(), p.thingId(), p.credentials(), null);
                Provisioned m = null;
                if (refusal == null) {
                    try {
                        m = makeTwin(p);
                    } catch (DeviceException e) {
                        refusal = e;
                    }
                }
                if (refusal != null) {
                    refusals.put(k, refusal);
                    if (atomic) {
                        made.forEach(this::undo);
                        return new BatchResult(refusals, 0);
                    }
                    continue;
                }
                made.add(m);
                Device d = m.device();
                changes.add(new DeviceStore.Change(d, audit(++seq, actor, d.deviceId(), AuditEntry.Action.PROVISIONED,
                        provisionDetail(d, m.twinCreated()) + ", import row " + rowNumbers.get(k), "import")));
                passwords.add(p.password());
            }
            try {
                store.append(changes);
            } catch (UncheckedIOException e) {
                made.forEach(this::undo);
                for (int k = 0; k < rows.size(); k++) {
                    refusals.putIfAbsent(k, DeviceException.storageFailed(e.getMessage()));
                }
                return new BatchResult(refusals, 0);
            }
            changes.forEach(c -> index(null, c.device()));
            for (int k = 0; k < changes.size(); k++) {
                notify(new DeviceEvent(DeviceEvent.Type.PROVISIONED, null, changes.get(k).device(), actor, "import", passwords.get(k)));
            }
            importedRows.add(changes.size());
            maybeSnapshot();
            return new BatchResult(refusals, changes.size());
        } finally {
            writeLock.unlock();
        }
    }

    void countRejectedRows(int n) {
        rejectedRows.add(n);
    }

    // ---- reads ------------------------------------------------------------------------------------------------------

    @Override
    public Optional<Device> device(String deviceId) {
        return deviceId == null ? Optional.empty() : Optional.ofNullable(byId.get(deviceId));
    }

    @Override
    public Optional<Device> byThing(ThingId thingId) {
        String id = thingId == null ? null : byThing.get(thingId);
        return id == null ? Optional.empty() : device(id);
    }

    @Override
    public Optional<Device> byMqttUsername(String username) {
        String id = username == null ? null : byUsername.get(username);
        return id == null ? Optional.empty() : device(id);
    }

    @Override
    public Optional<Device> byPskIdentity(String identity) {
        String id = identity == null ? null : byPskIdentity.get(identity);
        return id == null ? Optional.empty() : device(id);
    }

    @Override
    public Optional<Device> byCertificate(String sha256Fingerprint) {
        try {
            String id = byCertificate.get(Credentials.normalizeFingerprint(sha256Fingerprint));
            return id == null ? Optional.empty() : device(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Collection<Device> devices() {
        return Collections.unmodifiableCollection(byId.values());
    }

    @Override
    public DevicePage find(DeviceQuery query) {
        List<Device> matches = new ArrayList<>();
        for (Device d : byId.values()) {
            if (query.matches(d)) {
                matches.add(d);
            }
        }
        matches.sort(Comparator.comparing(Device::deviceId));
        int from = Math.min(query.offset(), matches.size());
        int to = query.limit() == 0 ? matches.size() : Math.min(matches.size(), from + query.limit());
        return new DevicePage(matches.subList(from, to), matches.size());
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------------

    @Override
    public Device transition(String deviceId, LifecycleState target, String actor, String reason) {
        try {
            if (target == null) {
                throw DeviceException.invalid(DeviceException.INVALID, "A target state is required (ACTIVE, SUSPENDED or DECOMMISSIONED).");
            }
            writeLock.lock();
            try {
                return transitionLocked(deviceId, target, actor, reason, null);
            } finally {
                writeLock.unlock();
            }
        } catch (DeviceException e) {
            throw refuse(e);
        }
    }

    private Device transitionLocked(String deviceId, LifecycleState target, String actor, String reason, String note) {
        Device before = byId.get(deviceId);
        if (before == null) {
            throw DeviceException.notFound(deviceId);
        }
        if (before.state() == target) {
            return before;
        }
        if (!before.state().canMoveTo(target)) {
            throw DeviceException.illegalTransition(deviceId, before.state(), target);
        }
        Instant now = now();
        Device after = before.withState(target, now);
        String detail = before.state() + " -> " + target + (note == null ? "" : " (" + note + ")");
        if (target == LifecycleState.DECOMMISSIONED && !before.credentials().isEmpty()) {
            after = after.withCredentials(new Credentials(before.credentials().version() + 1, null, null, null, null, null), now);
            detail += "; credentials revoked";
        }
        commit(before, after, AuditEntry.Action.STATE_CHANGED, detail, actor, reason);
        moveTwin(after);
        notify(new DeviceEvent(DeviceEvent.Type.LIFECYCLE_CHANGED, before, after, actor, reason, null));
        return after;
    }

    /** The twin follows the device; a twin that cannot (gone, or moved elsewhere) is logged and set right at the next start. */
    private void moveTwin(Device d) {
        try {
            Thing twin = twins.retrieve(d.thingId()).orElse(null);
            if (twin == null) {
                LOG.warn("The twin {} of device {} does not exist; it is made again at the next start", d.thingId(), d.deviceId());
            } else if (twin.lifecycle() != d.state()) {
                twins.updateLifecycle(d.thingId(), d.state());
            }
        } catch (TwinException e) {
            count("twin.lifecycle.failed");
            LOG.warn("The twin {} could not follow device {} to {}: {}", d.thingId(), d.deviceId(), d.state(), e.getMessage());
        }
    }

    @Override
    public Admission markContact(String deviceId) {
        Device d = deviceId == null ? null : byId.get(deviceId);
        if (d == null) {
            return Admission.UNREGISTERED;
        }
        switch (d.state()) {
            case ACTIVE:
                return Admission.ACCEPT;
            case PROVISIONED:
                writeLock.lock();
                try {
                    transitionLocked(deviceId, LifecycleState.ACTIVE, CONTACT_ACTOR, null, "first contact");
                } catch (DeviceException e) {
                    // a concurrent suspension, or the store failed: decide by the state as it is now
                    count(e.errorCode());
                    LOG.warn("First contact of device {} not recorded: {}", deviceId, e.getMessage());
                } finally {
                    writeLock.unlock();
                }
                return byId.get(deviceId).acceptsData() ? Admission.ACCEPT : Admission.REFUSE;
            default:
                return Admission.REFUSE;
        }
    }

    @Override
    public Admission markContact(ThingId thingId) {
        String id = thingId == null ? null : byThing.get(thingId);
        return id == null ? Admission.UNREGISTERED : markContact(id);
    }

    // ---- credentials ------------------------------------------------------------------------------------------------

    @Override
    public Device updateCredentials(String deviceId, CredentialsUpdate update, String actor, String reason) {
        try {
            if (update == null || update.isEmpty()) {
                throw DeviceException.invalid(DeviceException.CREDENTIALS_INVALID, "Nothing to change: give MQTT, PSK or X.509 credentials, or remove some.");
            }
            // everything that does not need the current device is checked, and the password hashed, before the lock
            String newHash = null;
            if (!update.removeMqtt()) {
                if (update.mqttUsername() != null) {
                    checker.username(update.mqttUsername());
                }
                if (update.mqttPassword() != null && update.mqttPasswordHash() != null) {
                    throw SpecChecker.credentials("mqtt: give mqttPassword or mqttPasswordHash, not both");
                }
                if (update.mqttPassword() != null) {
                    checker.password(update.mqttPassword());
                    byte[] pw = update.mqttPassword().getBytes(StandardCharsets.UTF_8);
                    newHash = withKdfSlot(() -> checker.passwords().hash(pw));
                    Arrays.fill(pw, (byte) 0);
                } else if (update.mqttPasswordHash() != null) {
                    newHash = SpecChecker.hash(update.mqttPasswordHash());
                }
            }
            String x509 = !update.removeX509() && update.x509Sha256() != null ? SpecChecker.fingerprint(update.x509Sha256()) : null;
            writeLock.lock();
            try {
                Device before = byId.get(deviceId);
                if (before == null) {
                    throw DeviceException.notFound(deviceId);
                }
                if (before.state() == LifecycleState.DECOMMISSIONED) {
                    throw DeviceException.decommissioned(deviceId);
                }
                Credentials c = before.credentials();
                List<String> what = new ArrayList<>();
                String user = c.mqttUsername();
                String hash = c.mqttPasswordHash();
                if (update.removeMqtt()) {
                    user = null;
                    hash = null;
                    what.add("mqtt removed");
                } else if (update.changesMqtt()) {
                    user = update.mqttUsername() != null ? update.mqttUsername() : user;
                    hash = newHash != null ? newHash : hash;
                    if (user == null) {
                        throw SpecChecker.credentials("mqtt: the device has no MQTT username yet; give one");
                    }
                    if (hash == null) {
                        throw SpecChecker.credentials("mqtt: the username '" + user + "' needs a password");
                    }
                    what.add("mqtt" + (update.mqttUsername() != null ? " username" : "") + (newHash != null ? " password" : ""));
                }
                String identity = c.pskIdentity();
                String sealed = c.sealedPskKey();
                if (update.removePsk()) {
                    identity = null;
                    sealed = null;
                    what.add("psk removed");
                } else if (update.changesPsk()) {
                    identity = update.pskIdentity() != null ? SpecChecker.identity(update.pskIdentity()) : identity;
                    if (identity == null) {
                        throw SpecChecker.credentials("psk: the device has no PSK identity yet; give one");
                    }
                    byte[] key = update.pskKey() != null ? checker.key(update.pskKey(), identity)
                            : sealed == null ? null : checker.box().open(sealed, c.pskIdentity());
                    if (key == null) {
                        throw SpecChecker.credentials("psk: the identity '" + identity + "' needs a pskKey");
                    }
                    sealed = checker.box().seal(key, identity);
                    Arrays.fill(key, (byte) 0);
                    what.add("psk" + (update.pskIdentity() != null ? " identity" : "") + (update.pskKey() != null ? " key" : ""));
                }
                String cert = c.x509Sha256();
                if (update.removeX509()) {
                    cert = null;
                    what.add("x509 removed");
                } else if (x509 != null) {
                    cert = x509;
                    what.add("x509");
                }
                Credentials next = new Credentials(c.version() + 1, user, hash, identity, sealed, cert);
                DeviceException conflict = conflict(deviceId, before.thingId(), next, deviceId);
                if (conflict != null) {
                    throw conflict;
                }
                Device after = before.withCredentials(next, now());
                commit(before, after, AuditEntry.Action.CREDENTIALS_CHANGED, String.join(", ", what), actor, reason);
                notify(new DeviceEvent(DeviceEvent.Type.CREDENTIALS_CHANGED, before, after, actor, reason,
                        newHash != null && update.mqttPassword() != null ? update.mqttPassword() : null));
                return after;
            } finally {
                writeLock.unlock();
            }
        } catch (DeviceException e) {
            throw refuse(e);
        }
    }

    @Override
    public AuthResult authenticateMqtt(String username, byte[] password) {
        String id = username == null ? null : byUsername.get(username);
        Device d = id == null ? null : byId.get(id);
        if (d == null || !username.equals(d.credentials().mqttUsername())) {
            return refusedAuth("mqtt", AuthResult.Outcome.UNKNOWN, null);
        }
        if (!d.acceptsCredentials()) {
            // no KDF for a suspended device: reconnect loops must not cost CPU
            return refusedAuth("mqtt", AuthResult.Outcome.NOT_ALLOWED, d);
        }
        String hash = d.credentials().mqttPasswordHash();
        if (hash == null || password == null) {
            return refusedAuth("mqtt", AuthResult.Outcome.BAD_CREDENTIALS, d);
        }
        long version = d.credentials().version();
        long now = clock.millis();
        if (verified.enabled() && verified.matches(username, id, version, password, now)) {
            cacheHits.increment();
            authAccepted.increment();
            return new AuthResult(AuthResult.Outcome.ACCEPTED, d);
        }
        // one Argon2id run per candidate password at a time: concurrent CONNECTs with the same credentials (a device's
        // parallel connections after a restart) wait for it instead of each running their own
        String flight = username + '\u0000' + version + '\u0000' + java.util.Base64.getEncoder().encodeToString(verified.digest(id, version, password));
        java.util.concurrent.CompletableFuture<AuthResult.Outcome> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<AuthResult.Outcome> running = inFlight.putIfAbsent(flight, mine);
        AuthResult.Outcome checked;
        if (running != null) {
            try {
                checked = running.get(settings.kdfWaitMillis() + 60_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                checked = AuthResult.Outcome.BUSY;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                checked = AuthResult.Outcome.BUSY;
            }
        } else {
            checked = AuthResult.Outcome.BUSY;
            try {
                // a check that finished between the look at the cache above and now has filled it
                if (verified.enabled() && verified.matches(username, id, version, password, now)) {
                    cacheHits.increment();
                    checked = AuthResult.Outcome.ACCEPTED;
                } else {
                    checked = verifyWithArgon2(password, hash);
                }
                if (checked == AuthResult.Outcome.ACCEPTED) {
                    verified.remember(username, id, version, password, now);
                }
            } finally {
                inFlight.remove(flight, mine);
                mine.complete(checked);
            }
        }
        if (checked == AuthResult.Outcome.BUSY) {
            return refusedAuth("mqtt", AuthResult.Outcome.BUSY, d);
        }
        boolean ok = checked == AuthResult.Outcome.ACCEPTED;
        if (!ok) {
            return refusedAuth("mqtt", AuthResult.Outcome.BAD_CREDENTIALS, d);
        }
        Device current = byId.get(id);
        if (current == null || !current.acceptsCredentials() || current.credentials().version() != version) {
            // suspended or changed while the password was checked
            return refusedAuth("mqtt", AuthResult.Outcome.NOT_ALLOWED, current);
        }
        authAccepted.increment();
        return new AuthResult(AuthResult.Outcome.ACCEPTED, current);
    }

    @Override
    public Optional<byte[]> pskKey(String identity) {
        String id = identity == null ? null : byPskIdentity.get(identity);
        Device d = id == null ? null : byId.get(id);
        if (d == null || !identity.equals(d.credentials().pskIdentity()) || d.credentials().sealedPskKey() == null) {
            refusedAuth("psk", AuthResult.Outcome.UNKNOWN, null);
            return Optional.empty();
        }
        if (!d.acceptsCredentials()) {
            refusedAuth("psk", AuthResult.Outcome.NOT_ALLOWED, d);
            return Optional.empty();
        }
        try {
            byte[] key = checker.box().open(d.credentials().sealedPskKey(), identity);
            authAccepted.increment();
            return Optional.of(key);
        } catch (IllegalStateException e) {
            LOG.error("The PSK of device {} does not open: {}", d.deviceId(), e.getMessage());
            refusedAuth("psk", AuthResult.Outcome.BAD_CREDENTIALS, d);
            return Optional.empty();
        }
    }

    @Override
    public AuthResult authenticateCertificate(String sha256Fingerprint) {
        Device d = byCertificate(sha256Fingerprint).orElse(null);
        if (d == null) {
            return refusedAuth("x509", AuthResult.Outcome.UNKNOWN, null);
        }
        if (!d.acceptsCredentials()) {
            return refusedAuth("x509", AuthResult.Outcome.NOT_ALLOWED, d);
        }
        authAccepted.increment();
        return new AuthResult(AuthResult.Outcome.ACCEPTED, d);
    }

    /** ACCEPTED or BAD_CREDENTIALS from Argon2id in a KDF slot, or BUSY when no slot frees within {@code kdf.wait.millis}. */
    private AuthResult.Outcome verifyWithArgon2(byte[] password, String hash) {
        try {
            if (!kdfSlots.tryAcquire(settings.kdfWaitMillis(), TimeUnit.MILLISECONDS)) {
                return AuthResult.Outcome.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AuthResult.Outcome.BUSY;
        }
        try {
            long t0 = System.nanoTime();
            boolean ok = Argon2Passwords.verify(password, hash);
            kdfNanos.add(System.nanoTime() - t0);
            kdfVerifications.increment();
            return ok ? AuthResult.Outcome.ACCEPTED : AuthResult.Outcome.BAD_CREDENTIALS;
        } finally {
            kdfSlots.release();
        }
    }

    /**
     * Runs an Argon2id hashing in one of the {@code kdf.threads} slots that password checks use too, waiting for one: a
     * fleet import or a reconnect storm never runs more Argon2id at once than configured.
     */
    <T> T withKdfSlot(java.util.function.Supplier<T> hashing) {
        try {
            kdfSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(503, DeviceException.STORAGE_FAILED, "Interrupted while waiting to hash a password.", "Try again.");
        }
        try {
            return hashing.get();
        } finally {
            kdfSlots.release();
        }
    }

    private AuthResult refusedAuth(String kind, AuthResult.Outcome outcome, Device d) {
        authRefused.computeIfAbsent(kind + ":" + outcome.name(), k -> new LongAdder()).increment();
        return new AuthResult(outcome, d);
    }

    // ---- configuration ----------------------------------------------------------------------------------------------

    @Override
    public Device configure(String deviceId, JsonObject mergePatch, String actor, String reason) {
        return changeConfiguration(deviceId, mergePatch, false, actor, reason);
    }

    @Override
    public Device replaceConfiguration(String deviceId, JsonObject configuration, String actor, String reason) {
        return changeConfiguration(deviceId, configuration, true, actor, reason);
    }

    private Device changeConfiguration(String deviceId, JsonObject change, boolean replace, String actor, String reason) {
        try {
            if (change == null) {
                throw DeviceException.invalid(DeviceException.CONFIGURATION_INVALID, "A configuration (a JSON object) is required.");
            }
            writeLock.lock();
            try {
                Device before = byId.get(deviceId);
                if (before == null) {
                    throw DeviceException.notFound(deviceId);
                }
                if (before.state() == LifecycleState.DECOMMISSIONED) {
                    throw DeviceException.decommissioned(deviceId);
                }
                JsonObject next = replace ? change : (JsonObject) MergePatch.apply(before.configuration(), change);
                if (next.equals(before.configuration()) && !replace) {
                    return before;
                }
                Thing twin = ensureTwin(before);
                JsonObject previous = desired(twin);
                JsonObject wanted = replace ? change : (JsonObject) MergePatch.apply(previous, change);
                try {
                    if (twin.feature(ConfigurationStatus.FEATURE).isPresent()) {
                        twins.modify(before.thingId(), desiredPath(), wanted, Precondition.none());
                    } else {
                        twins.merge(before.thingId(), JsonPointer.empty(), JsonObject.of("features", JsonObject.of(ConfigurationStatus.FEATURE,
                                JsonObject.of("desiredProperties", wanted))), Precondition.none());
                    }
                } catch (TwinException e) {
                    throw new DeviceException(e.status() == 403 ? 409 : 400, DeviceException.CONFIGURATION_INVALID,
                            "The twin " + before.thingId() + " refuses the configuration: " + e.getMessage(), e.description());
                }
                Device after = before.withConfiguration(next, now());
                try {
                    commit(before, after, AuditEntry.Action.CONFIGURATION_CHANGED, configDetail(before.configuration(), next), actor, reason);
                } catch (DeviceException e) {
                    restoreDesired(before.thingId(), previous);
                    throw e;
                }
                notify(new DeviceEvent(DeviceEvent.Type.CONFIGURATION_CHANGED, before, after, actor, reason, null));
                return after;
            } finally {
                writeLock.unlock();
            }
        } catch (DeviceException e) {
            throw refuse(e);
        }
    }

    private static String configDetail(JsonObject before, JsonObject after) {
        List<String> parts = new ArrayList<>();
        for (ConfigurationStatus.Entry e : ConfigDiff.entries(after, before)) {
            switch (e.state()) {
                case PENDING -> parts.add((e.reported() == null ? "+" : "~") + e.path() + "=" + e.desired());
                case REPORTED_ONLY -> parts.add("-" + e.path());
                default -> {
                }
            }
        }
        String text = parts.isEmpty() ? "unchanged" : String.join(" ", parts);
        return text.length() > 500 ? text.substring(0, 497) + "..." : text;
    }

    @Override
    public ConfigurationStatus configuration(String deviceId) {
        Device d = byId.get(deviceId);
        if (d == null) {
            throw refuse(DeviceException.notFound(deviceId));
        }
        Thing twin = twins.retrieve(d.thingId()).orElse(null);
        Feature f = twin == null ? null : twin.feature(ConfigurationStatus.FEATURE).orElse(null);
        // the twin settles a desired value once the device reports it (it leaves desiredProperties): what is wanted is the
        // device's configuration, with what the twin still holds to deliver (also values set on the twin directly) on top
        JsonObject outstanding = f == null || f.desiredProperties() == null ? JsonObject.empty() : f.desiredProperties();
        JsonObject desired = (JsonObject) MergePatch.apply(d.configuration(), outstanding);
        JsonObject reported = f == null || f.properties() == null ? JsonObject.empty() : f.properties();
        return ConfigDiff.status(d.deviceId(), d.thingId(), desired, reported);
    }

    private static JsonPointer desiredPath() {
        return JsonPointer.of("features", ConfigurationStatus.FEATURE, "desiredProperties");
    }

    private static JsonObject desired(Thing twin) {
        return twin.feature(ConfigurationStatus.FEATURE).map(Feature::desiredProperties).filter(d -> d != null).orElse(JsonObject.empty());
    }

    private static Thing withDesired(Thing t, JsonObject configuration) {
        if (configuration.isEmpty()) {
            return t;
        }
        Feature f = t.feature(ConfigurationStatus.FEATURE).orElse(Feature.of(ConfigurationStatus.FEATURE));
        return t.withFeature(f.withDesiredProperties(configuration));
    }

    private void mergeDesired(ThingId id, JsonObject configuration) {
        JsonObject patch = JsonObject.of("features", JsonObject.of(ConfigurationStatus.FEATURE, JsonObject.of("desiredProperties", configuration)));
        try {
            twins.merge(id, JsonPointer.empty(), patch, Precondition.none());
        } catch (TwinException e) {
            throw new DeviceException(e.status() == 403 ? 409 : 400, DeviceException.CONFIGURATION_INVALID,
                    "The twin " + id + " refuses the configuration: " + e.getMessage(), e.description());
        }
    }

    private void restoreDesired(ThingId id, JsonObject previous) {
        try {
            twins.modify(id, desiredPath(), previous == null ? JsonObject.empty() : previous, Precondition.none());
        } catch (TwinException e) {
            LOG.warn("The desired configuration of {} could not be put back: {}", id, e.getMessage());
        }
    }

    /** The device's twin, made again (from its model, in its state, with its configuration) when it is gone. */
    private Thing ensureTwin(Device d) {
        Thing twin = twins.retrieve(d.thingId()).orElse(null);
        if (twin != null) {
            return twin;
        }
        Thing t = templates.newTwin(d.thingId(), d.modelId()).orElseGet(() -> Thing.newBuilder(d.thingId()).definition(d.modelId()).build());
        t = withDesired(t, d.configuration()).toBuilder().lifecycle(d.state()).build();
        try {
            return twins.create(t);
        } catch (TwinException e) {
            return twins.retrieve(d.thingId()).orElseThrow(() -> new DeviceException(503, DeviceException.STORAGE_FAILED,
                    "The twin " + d.thingId() + " is missing and cannot be made again: " + e.getMessage(), e.description()));
        }
    }

    /** At activation: every device's twin exists and is in the device's state. */
    private void reconcileTwins() {
        int made = 0;
        int moved = 0;
        for (Device d : byId.values()) {
            try {
                Thing twin = twins.retrieve(d.thingId()).orElse(null);
                if (twin == null) {
                    if (d.state() != LifecycleState.DECOMMISSIONED) {
                        ensureTwin(d);
                        made++;
                    }
                } else if (twin.lifecycle() != d.state()) {
                    if (twin.lifecycle().canMoveTo(d.state())) {
                        twins.updateLifecycle(d.thingId(), d.state());
                        moved++;
                    } else {
                        LOG.warn("The twin {} is {} but its device {} is {}; the twin cannot follow", d.thingId(), twin.lifecycle(),
                                d.deviceId(), d.state());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("The twin {} of device {} could not be set right: {}", d.thingId(), d.deviceId(), e.getMessage());
            }
        }
        if (made > 0 || moved > 0) {
            LOG.info("Device registry: {} missing twins made again, {} twins moved to their device's lifecycle state", made, moved);
        }
    }

    // ---- audit and counters -----------------------------------------------------------------------------------------

    @Override
    public List<AuditEntry> audit(AuditQuery query) {
        return store.audit(query, e -> true);
    }

    @Override
    public DeviceStats stats() {
        Map<LifecycleState, Integer> states = new EnumMap<>(LifecycleState.class);
        for (LifecycleState s : LifecycleState.values()) {
            states.put(s, 0);
        }
        int total = 0;
        for (Device d : byId.values()) {
            states.merge(d.state(), 1, Integer::sum);
            total++;
        }
        return new DeviceStats(total, states, authAccepted.sum(), sums(authRefused), cacheHits.sum(), kdfVerifications.sum(),
                kdfNanos.sum() / 1_000_000, importedRows.sum(), rejectedRows.sum(), sums(refused), listenerFailures.sum());
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Verified passwords in memory now. */
    int cachedCredentials() {
        return verified.size();
    }

    // ---- commit, index, notify --------------------------------------------------------------------------------------

    /** Appends one change; under the write lock. The maps change only when the store took it. */
    private void commit(Device before, Device after, AuditEntry.Action action, String detail, String actor, String reason) {
        AuditEntry audit = audit(store.lastSeq() + 1, actor, after.deviceId(), action, detail, reason);
        try {
            store.append(List.of(new DeviceStore.Change(after, audit)));
        } catch (UncheckedIOException e) {
            throw DeviceException.storageFailed(e.getMessage());
        }
        index(before, after);
        maybeSnapshot();
    }

    private AuditEntry audit(long seq, String actor, String deviceId, AuditEntry.Action action, String detail, String reason) {
        String who = actor == null || actor.isBlank() ? "unknown" : actor;
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        return new AuditEntry(seq, now(), who, deviceId, action, detail, why);
    }

    private void maybeSnapshot() {
        if (store.sinceSnapshot() >= settings.snapshotEvery()) {
            long t0 = System.nanoTime();
            if (store.snapshot(byId.values())) {
                LOG.info("Device registry snapshot of {} devices in {} ms", byId.size(), (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    private void index(Device before, Device after) {
        byId.put(after.deviceId(), after);
        byThing.put(after.thingId(), after.deviceId());
        Credentials old = before == null ? Credentials.none() : before.credentials();
        Credentials now = after.credentials();
        move(byUsername, old.mqttUsername(), now.mqttUsername(), after.deviceId());
        move(byPskIdentity, old.pskIdentity(), now.pskIdentity(), after.deviceId());
        move(byCertificate, old.x509Sha256(), now.x509Sha256(), after.deviceId());
        if (before != null && (old.version() != now.version() || before.state() != after.state())) {
            verified.forget(old.mqttUsername());
        }
    }

    private static void move(Map<String, String> index, String oldKey, String newKey, String deviceId) {
        if (oldKey != null && !oldKey.equals(newKey)) {
            index.remove(oldKey, deviceId);
        }
        if (newKey != null) {
            index.put(newKey, deviceId);
        }
    }

    private void notify(DeviceEvent event) {
        for (List<DeviceListener> list : List.of(listeners, localListeners)) {
            for (DeviceListener l : list) {
                try {
                    l.deviceChanged(event);
                } catch (RuntimeException e) {
                    listenerFailures.increment();
                    LOG.warn("Device listener {} failed on {}", l.getClass().getName(), event, e);
                }
            }
        }
    }

    private DeviceException refuse(DeviceException e) {
        count(e.errorCode());
        return e;
    }

    private void count(String code) {
        LongAdder c = refused.get(code);
        if (c == null) {
            c = refused.size() < 64 ? refused.computeIfAbsent(code, k -> new LongAdder()) : refused.computeIfAbsent("other", k -> new LongAdder());
        }
        c.increment();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
