package io.rosetta.core.internal.registry;

import io.rosetta.core.internal.journal.Journal;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ModelViolationException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.RegistryStats;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinListener;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.core.registry.TwinValidator;
import io.rosetta.core.registry.WriteResult;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The twin registry: all twins resident in a map, one writer path, a journal for durability and
 * a bounded event stream.
 *
 * <p>Writes to one thing are serialized by a lock stripe chosen by the thing id; writes to
 * different things proceed in parallel. A write computes the next twin with {@link ThingOps},
 * lets every {@link TwinValidator} check it, appends a journal record, then installs the twin and
 * publishes the event — so a refused change leaves nothing behind, and an acknowledged one is in
 * the journal. On activation the registry is rebuilt from the newest snapshot and the journal
 * before its service is registered, so bindings and APIs only start on a complete registry.
 */
@Component(service = TwinRegistry.class, configurationPid = "io.rosetta.core.registry", immediate = true)
@Designate(ocd = TwinRegistryImpl.Config.class)
public final class TwinRegistryImpl implements TwinRegistry {

    @ObjectClassDefinition(name = "Rosetta twin registry", description = "Journal, snapshots and event stream of the twin registry")
    public @interface Config {
        @AttributeDefinition(description = "Journal folder; empty means ${karaf.data}/rosetta/journal")
        String journal_dir() default "";

        @AttributeDefinition(description = "When the journal is forced to disk: NEVER, INTERVAL or ALWAYS (group commit). "
                + "Every acknowledged change survives a process crash in all three; INTERVAL and ALWAYS also cover power loss, "
                + "ALWAYS without a window.")
        String fsync() default "INTERVAL";

        @AttributeDefinition(description = "Interval of the INTERVAL fsync policy in milliseconds")
        long fsync_interval_millis() default 1000;

        @AttributeDefinition(description = "Journal records after which a snapshot is written and older segments removed")
        long snapshot_every() default 1_000_000;

        @AttributeDefinition(description = "Events buffered per subscriber")
        int events_buffer() default 8192;

        @AttributeDefinition(description = "How long a write may wait for a subscriber whose buffer is full before that "
                + "subscriber loses the event (counted). 0 never holds writers back: a slow subscriber cannot slow ingest down.")
        long events_max_block_millis() default 0;
    }

    private static final Logger LOG = LoggerFactory.getLogger(TwinRegistryImpl.class);
    private static final int STRIPES = 256;

    private final ConcurrentHashMap<ThingId, Thing> things = new ConcurrentHashMap<>(1024);
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Journal journal;
    private final long snapshotEvery;
    private final long maxBlockMillis;
    private final ForkJoinPool eventPool;
    private final SubmissionPublisher<TwinEvent> publisher;
    private final CopyOnWriteArrayList<TwinListener> listeners = new CopyOnWriteArrayList<>();
    /** When a listener last failed (nanos), to log at most one failure per second. */
    private volatile long lastListenerFailureLog = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
    private final ScheduledExecutorService maintenance;
    private final Clock clock;
    private final AtomicBoolean snapshotRunning = new AtomicBoolean();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TwinValidator> validators = List.of();

    private final LongAdder writes = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder violations = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private long recoveredRecords;
    private long recoveryMillis;

    @Activate
    public TwinRegistryImpl(Config config) {
        this(journalFor(config), config.snapshot_every(), config.events_buffer(), config.events_max_block_millis(),
                Clock.systemUTC());
        if (journal.fsyncPolicy() == Journal.FsyncPolicy.INTERVAL) {
            long interval = Math.max(10, config.fsync_interval_millis());
            maintenance.scheduleWithFixedDelay(this::forceQuietly, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    TwinRegistryImpl(Journal journal, long snapshotEvery, int eventsBuffer, long maxBlockMillis, Clock clock) {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        this.journal = journal;
        this.snapshotEvery = snapshotEvery;
        this.maxBlockMillis = maxBlockMillis;
        this.clock = clock;
        this.eventPool = new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                pool -> {
                    var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    t.setName("rosetta-twin-events-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                }, null, true);
        this.publisher = new SubmissionPublisher<>(eventPool, Math.max(1, eventsBuffer));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rosetta-registry-maintenance");
            t.setDaemon(true);
            return t;
        });
        if (journal != null) {
            recover();
        }
    }

    /** A registry without a journal, for tests of code that needs a real one. */
    public static TwinRegistryImpl inMemory() {
        return new TwinRegistryImpl(null, Long.MAX_VALUE, 1024, 100, Clock.systemUTC());
    }

    /** A registry journaling into {@code dir}, for tests and benchmarks. */
    public static TwinRegistryImpl withJournal(Path dir, Journal.FsyncPolicy fsync, long snapshotEvery) {
        return new TwinRegistryImpl(Journal.open(dir, fsync), snapshotEvery, 8192, 100, Clock.systemUTC());
    }

    private static Journal journalFor(Config config) {
        String dir = config.journal_dir();
        Path path = dir == null || dir.isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "rosetta", "journal")
                : Paths.get(dir);
        return Journal.open(path, Journal.FsyncPolicy.valueOf(config.fsync().trim().toUpperCase(java.util.Locale.ROOT)));
    }

    /** Sets the validators directly (tests and benchmarks outside OSGi). */
    public void setValidators(List<TwinValidator> validators) {
        this.validators = List.copyOf(validators);
    }

    @Deactivate
    public void close() {
        maintenance.shutdownNow();
        if (journal != null) {
            try {
                snapshotNow();
            } catch (RuntimeException e) {
                LOG.warn("Could not write the shutdown snapshot; the journal remains complete", e);
            }
            journal.close();
        }
        listeners.clear();
        publisher.close();
        eventPool.shutdown();
    }

    // ---- recovery ---------------------------------------------------------------------------

    private void recover() {
        long start = System.nanoTime();
        Journal.Recovery r = journal.recover(
                bytes -> {
                    Thing t = RecordCodec.thingOf(Json.parse(bytes).asObject());
                    things.put(t.thingId(), t);
                },
                this::replay);
        recoveredRecords = r.snapshotRecords() + r.journalRecords();
        recoveryMillis = (System.nanoTime() - start) / 1_000_000;
        LOG.info("Twin registry rebuilt: {} twins from {} snapshot records and {} journal records in {} ms{}",
                things.size(), r.snapshotRecords(), r.journalRecords(), recoveryMillis,
                r.truncatedBytes() > 0 ? " (a torn last record of " + r.truncatedBytes() + " bytes was dropped)" : "");
    }

    private void replay(byte[] bytes) {
        JsonObject rec = Json.parse(bytes).asObject();
        String op = RecordCodec.string(rec, "o", "");
        ThingId id = ThingId.of(RecordCodec.string(rec, "i", ""));
        long rev = RecordCodec.number(rec, "r");
        long time = RecordCodec.number(rec, "t");
        JsonValue value = rec.getOrNull("v");
        Thing current = things.get(id);
        try {
            switch (op) {
                case RecordCodec.CREATE, RecordCodec.PUT -> things.put(id, RecordCodec.thingOf(value.asObject()));
                case RecordCodec.MODIFY -> things.put(id, carry(ThingOps.modify(current, pointer(rec), value), current, rev, time, current.lastSeenMillis()));
                case RecordCodec.MERGE -> things.put(id, carry(ThingOps.merge(current, pointer(rec), value), current, rev, time, current.lastSeenMillis()));
                case RecordCodec.REPORT -> things.put(id, carry(ThingOps.merge(current, pointer(rec), value), current, rev, time, RecordCodec.number(rec, "s")));
                case RecordCodec.DELETE -> {
                    JsonPointer path = pointer(rec);
                    if (path.isEmpty()) {
                        things.remove(id);
                    } else {
                        things.put(id, carry(ThingOps.delete(current, path), current, rev, time, current.lastSeenMillis()));
                    }
                }
                case RecordCodec.CONNECTIVITY -> things.put(id, current.toBuilder().connectivity(RecordCodec.connectivityOf(value))
                        .revision(rev).modified(time).build());
                case RecordCodec.LIFECYCLE -> things.put(id, current.toBuilder()
                        .lifecycle(LifecycleState.valueOf(((io.rosetta.core.json.JsonString) value).value()))
                        .revision(rev).modified(time).build());
                default -> LOG.error("Unknown journal record '{}' for {} skipped", op, id);
            }
        } catch (RuntimeException e) {
            LOG.error("Journal record {} of {} at revision {} could not be replayed: {}", op, id, rev, e.getMessage());
        }
    }

    private static JsonPointer pointer(JsonObject rec) {
        return JsonPointer.of(RecordCodec.string(rec, "p", ""));
    }

    // ---- reads ------------------------------------------------------------------------------

    @Override
    public Optional<Thing> retrieve(ThingId id) {
        return Optional.ofNullable(things.get(id));
    }

    @Override
    public Collection<Thing> things() {
        return Collections.unmodifiableCollection(things.values());
    }

    @Override
    public int size() {
        return things.size();
    }

    // ---- writes -----------------------------------------------------------------------------

    @Override
    public Thing create(Thing thing) {
        ReentrantLock lock = lock(thing.thingId());
        try {
            if (things.containsKey(thing.thingId())) {
                throw refuse(TwinException.conflict(thing.thingId()));
            }
            return createLocked(thing);
        } finally {
            lock.unlock();
        }
    }

    private Thing createLocked(Thing thing) {
        long now = clock.millis();
        Thing next = thing.toBuilder().revision(1).created(now).modified(now).build();
        validate(next, null);
        journal(RecordCodec.CREATE, next);
        things.put(next.thingId(), next);
        publish(() -> new TwinEvent(TwinEvent.Type.CREATED, next.thingId(), 1, now, JsonPointer.empty(), next.toJson(),
                List.of(JsonPointer.empty()), next));
        return next;
    }

    @Override
    public WriteResult put(Thing thing, Precondition precondition) {
        ReentrantLock lock = lock(thing.thingId());
        try {
            Thing current = things.get(thing.thingId());
            check(thing.thingId(), current, precondition);
            if (current == null) {
                return new WriteResult(createLocked(thing), true);
            }
            writable(current);
            long now = clock.millis();
            Thing next = thing.toBuilder().revision(current.revision() + 1).created(current.createdMillis()).modified(now)
                    .lastSeen(current.lastSeenMillis()).connectivity(current.connectivity()).lifecycle(current.lifecycle())
                    .build();
            validate(next, current);
            journal(RecordCodec.PUT, next);
            things.put(next.thingId(), next);
            publish(() -> new TwinEvent(TwinEvent.Type.MODIFIED, next.thingId(), next.revision(), now, JsonPointer.empty(),
                    next.toJson(), List.of(JsonPointer.empty()), next));
            return new WriteResult(next, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WriteResult modify(ThingId id, JsonPointer path, JsonValue value, Precondition precondition) {
        if (path.isEmpty()) {
            if (!(value instanceof JsonObject o)) {
                throw refuse(TwinException.invalid("A thing must be a JSON object.", "Send the thing as a JSON object."));
            }
            return put(Thing.fromJson(o, id), precondition);
        }
        ReentrantLock lock = lock(id);
        try {
            Thing current = existing(id);
            check(id, current, precondition);
            writable(current);
            boolean created = !ThingOps.exists(current, path);
            Thing content = guarded(() -> ThingOps.modify(current, path, value));
            long now = clock.millis();
            Thing next = carry(content, current, current.revision() + 1, now, current.lastSeenMillis());
            validate(next, current);
            journalChange(RecordCodec.MODIFY, id, next.revision(), now, path, value, 0);
            things.put(id, next);
            publish(() -> new TwinEvent(TwinEvent.Type.MODIFIED, id, next.revision(), now, path, value, List.of(path), next));
            return new WriteResult(next, created);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Thing merge(ThingId id, JsonPointer path, JsonValue patch, Precondition precondition) {
        return mergeInternal(id, path, patch, precondition, 0);
    }

    @Override
    public Thing report(ThingId id, JsonPointer path, JsonValue patch, long seenAtMillis) {
        return mergeInternal(id, path, patch, Precondition.none(), Math.max(1, seenAtMillis));
    }

    private Thing mergeInternal(ThingId id, JsonPointer path, JsonValue patch, Precondition precondition, long seen) {
        ReentrantLock lock = lock(id);
        try {
            Thing current = existing(id);
            check(id, current, precondition);
            writable(current);
            if (seen > 0 && current.lifecycle() == LifecycleState.SUSPENDED) {
                throw refuse(new TwinException(403, "things:thing.suspended",
                        "The device behind '" + id + "' is suspended; its data is refused.", "Resume the device first."));
            }
            Thing content = guarded(() -> ThingOps.merge(current, path, patch));
            if (content == current && seen == 0) {
                return current;
            }
            long now = clock.millis();
            Thing next = carry(content, current, current.revision() + 1, now, seen > 0 ? seen : current.lastSeenMillis());
            validate(next, current);
            journalChange(seen > 0 ? RecordCodec.REPORT : RecordCodec.MERGE, id, next.revision(), now, path, patch, seen);
            things.put(id, next);
            List<JsonPointer> leaves = ThingOps.leaves(path, patch);
            publish(() -> new TwinEvent(TwinEvent.Type.MERGED, id, next.revision(), now, path, patch, leaves, next));
            return seen > 0 ? settleDesired(next, leaves, now) : next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a device's report: the desired properties the reported state now equals are satisfied
     * and leave {@code desiredProperties}, as a change of their own (journaled as a merge, one
     * revision later, with its event), so that what remains there is what is still pending.
     */
    private Thing settleDesired(Thing reported, List<JsonPointer> leaves, long now) {
        JsonObject settle = ThingOps.settledDesired(reported, leaves);
        if (settle == null) {
            return reported;
        }
        JsonPointer features = JsonPointer.of("/features");
        Thing content = ThingOps.merge(reported, features, settle);
        Thing next = carry(content, reported, reported.revision() + 1, now, reported.lastSeenMillis());
        journalChange(RecordCodec.MERGE, reported.thingId(), next.revision(), now, features, settle, 0);
        things.put(reported.thingId(), next);
        publish(() -> new TwinEvent(TwinEvent.Type.MERGED, next.thingId(), next.revision(), now, features, settle,
                ThingOps.leaves(features, settle), next));
        return next;
    }

    @Override
    public void delete(ThingId id, JsonPointer path, Precondition precondition) {
        ReentrantLock lock = lock(id);
        try {
            Thing current = existing(id);
            check(id, current, precondition);
            writable(current);
            long now = clock.millis();
            if (path.isEmpty()) {
                journalChange(RecordCodec.DELETE, id, current.revision() + 1, now, path, null, 0);
                things.remove(id);
                publish(() -> new TwinEvent(TwinEvent.Type.DELETED, id, current.revision() + 1, now, path, null, List.of(path), null));
                return;
            }
            Thing content = guarded(() -> ThingOps.delete(current, path));
            Thing next = carry(content, current, current.revision() + 1, now, current.lastSeenMillis());
            validate(next, current);
            journalChange(RecordCodec.DELETE, id, next.revision(), now, path, null, 0);
            things.put(id, next);
            publish(() -> new TwinEvent(TwinEvent.Type.DELETED, id, next.revision(), now, path, null, List.of(path), next));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Thing updateConnectivity(ThingId id, ConnectivityStatus status) {
        ReentrantLock lock = lock(id);
        try {
            Thing current = existing(id);
            if (current.connectivity().equals(status)) {
                return current;
            }
            long now = clock.millis();
            Thing next = current.toBuilder().connectivity(status).revision(current.revision() + 1).modified(now).build();
            journalRecord(() -> RecordCodec.status(id, next.revision(), now, status));
            things.put(id, next);
            JsonPointer path = JsonPointer.of("_connectivity");
            publish(() -> new TwinEvent(TwinEvent.Type.CONNECTIVITY_CHANGED, id, next.revision(), now, path,
                    RecordCodec.connectivityJson(status), List.of(path), next));
            return next;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Thing updateLifecycle(ThingId id, LifecycleState state) {
        ReentrantLock lock = lock(id);
        try {
            Thing current = existing(id);
            if (current.lifecycle() == state) {
                return current;
            }
            if (!current.lifecycle().canMoveTo(state)) {
                throw refuse(new TwinException(409, "things:lifecycle.transition.invalid",
                        "The thing '" + id + "' cannot move from " + current.lifecycle() + " to " + state + ".",
                        "Allowed: PROVISIONED → ACTIVE → SUSPENDED → ACTIVE, any → DECOMMISSIONED (final)."));
            }
            long now = clock.millis();
            Thing next = current.toBuilder().lifecycle(state).revision(current.revision() + 1).modified(now).build();
            journalRecord(() -> RecordCodec.lifecycle(id, next.revision(), now, state));
            things.put(id, next);
            JsonPointer path = JsonPointer.of("_lifecycle");
            publish(() -> new TwinEvent(TwinEvent.Type.LIFECYCLE_CHANGED, id, next.revision(), now, path,
                    JsonValue.of(state.name()), List.of(path), next));
            return next;
        } finally {
            lock.unlock();
        }
    }

    // ---- events -----------------------------------------------------------------------------

    @Override
    public void subscribe(Flow.Subscriber<? super TwinEvent> subscriber) {
        publisher.subscribe(subscriber);
    }

    @Override
    public void listen(TwinListener listener) {
        listeners.addIfAbsent(listener);
    }

    @Override
    public void unlisten(TwinListener listener) {
        listeners.remove(listener);
    }

    /**
     * Called with the thing's lock held, so that the events of one thing reach listeners and subscribers in
     * revision order. The listeners hear it on this thread; subscribers get it through the publisher's threads.
     */
    private void publish(Supplier<TwinEvent> event) {
        boolean subscribers = publisher.hasSubscribers();
        if (!subscribers && listeners.isEmpty()) {
            return;
        }
        TwinEvent e = event.get();
        for (TwinListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                listenerFailed(l, e, ex);
            }
        }
        if (subscribers) {
            if (maxBlockMillis > 0) {
                publisher.offer(e, maxBlockMillis, TimeUnit.MILLISECONDS, this::drop);
            } else {
                publisher.offer(e, this::drop);
            }
        }
        published.increment();
    }

    private void listenerFailed(TwinListener l, TwinEvent e, RuntimeException ex) {
        dropped.increment();
        long now = System.nanoTime();
        if (now - lastListenerFailureLog > TimeUnit.SECONDS.toNanos(1)) {
            lastListenerFailureLog = now;
            LOG.error("The twin listener {} failed on the event {} of {} (revision {}); counted as dropped for it",
                    l.getClass().getName(), e.type(), e.thingId(), e.revision(), ex);
        }
    }

    private boolean drop(Flow.Subscriber<? super TwinEvent> subscriber, TwinEvent event) {
        dropped.increment();
        return false;
    }

    @Override
    public RegistryStats stats() {
        return new RegistryStats(things.size(), writes.sum(), refused.sum(), violations.sum(), published.sum(), dropped.sum(),
                publisher.getNumberOfSubscribers() + listeners.size(), journal == null ? 0 : journal.bytesWritten(), recoveredRecords, recoveryMillis);
    }

    // ---- snapshots --------------------------------------------------------------------------

    /** Writes a snapshot now and drops the journal segments it covers. */
    public void snapshotNow() {
        if (journal == null) {
            return;
        }
        long number;
        List<Thing> state;
        for (ReentrantLock l : stripes) {
            l.lock();
        }
        try {
            number = journal.rotate();
            state = new ArrayList<>(things.values());
        } finally {
            for (ReentrantLock l : stripes) {
                l.unlock();
            }
        }
        Iterator<Thing> it = state.iterator();
        journal.writeSnapshot(number, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public byte[] next() {
                return RecordCodec.snapshot(it.next());
            }
        });
        LOG.info("Twin registry snapshot {} written with {} twins", number, state.size());
    }

    private void maybeSnapshot() {
        if (journal.recordsInCurrentSegment() >= snapshotEvery && snapshotRunning.compareAndSet(false, true)) {
            maintenance.execute(() -> {
                try {
                    snapshotNow();
                } catch (RuntimeException e) {
                    LOG.error("Snapshot failed; the journal stays complete and is retried later", e);
                } finally {
                    snapshotRunning.set(false);
                }
            });
        }
    }

    private void forceQuietly() {
        try {
            journal.force();
        } catch (RuntimeException e) {
            LOG.error("Forcing the journal to disk failed", e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private ReentrantLock lock(ThingId id) {
        ReentrantLock l = stripes[(id.hashCode() & 0x7fffffff) % STRIPES];
        l.lock();
        return l;
    }

    private Thing existing(ThingId id) {
        Thing current = things.get(id);
        if (current == null) {
            throw refuse(TwinException.notFound(id));
        }
        return current;
    }

    private void check(ThingId id, Thing current, Precondition p) {
        switch (p.kind()) {
            case NONE -> {
            }
            case EXISTS -> {
                if (current == null) {
                    throw refuse(TwinException.preconditionFailed("If-Match", "*", 0));
                }
            }
            case ABSENT -> {
                if (current != null) {
                    throw refuse(TwinException.preconditionFailed("If-None-Match", "*", current.revision()));
                }
            }
            case REVISION_MATCHES -> {
                if (current == null) {
                    throw refuse(TwinException.notFound(id));
                }
                if (current.revision() != p.revision()) {
                    throw refuse(TwinException.preconditionFailed("If-Match", "\"rev:" + p.revision() + "\"", current.revision()));
                }
            }
        }
    }

    private void writable(Thing current) {
        if (current.lifecycle() == LifecycleState.DECOMMISSIONED) {
            throw refuse(TwinException.notModifiable(current.thingId(), "it is decommissioned"));
        }
    }

    private Thing guarded(Supplier<Thing> op) {
        try {
            return op.get();
        } catch (TwinException e) {
            throw refuse(e);
        }
    }

    private static Thing carry(Thing content, Thing current, long revision, long now, long seen) {
        return content.toBuilder().revision(revision).created(current.createdMillis()).modified(now).lastSeen(seen)
                .connectivity(current.connectivity()).lifecycle(current.lifecycle()).build();
    }

    private void validate(Thing next, Thing previous) {
        for (TwinValidator v : validators) {
            try {
                v.validate(next, previous);
            } catch (ModelViolationException e) {
                violations.increment();
                throw refuse(e);
            }
        }
    }

    private void journal(String op, Thing thing) {
        journalRecord(() -> RecordCodec.whole(op, thing));
    }

    private void journalChange(String op, ThingId id, long rev, long time, JsonPointer path, JsonValue value, long seen) {
        journalRecord(() -> RecordCodec.change(op, id, rev, time, path, value, seen));
    }

    private void journalRecord(Supplier<byte[]> record) {
        writes.increment();
        if (journal != null) {
            journal.append(record.get());
            maybeSnapshot();
        }
    }

    private TwinException refuse(TwinException e) {
        refused.increment();
        return e;
    }
}
