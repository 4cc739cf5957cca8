package io.rosetta.core.internal.inbox;

import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.inbox.Discovery;
import io.rosetta.core.inbox.Inbox;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.inbox.InboxEntry.Status;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import io.rosetta.core.registry.TwinRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery inbox, kept in memory and in a JSON file ({@code ${karaf.data}/rosetta/inbox.json} by
 * default), so that pending entries, rejections and the recent approvals survive a restart. Decisions
 * (approve, reject, remove) are written before they are answered; what bindings report (new entries,
 * auto-approvals, changed proposals) is written at most once per {@code flushDelayMillis}. Pending and
 * rejected entries are bounded ({@code maxEntries}: beyond it discoveries are refused as
 * {@link Decision#FULL}); approved entries are kept as history, the oldest dropped beyond {@code maxApproved}.
 */
@Component(service = Inbox.class, configurationPid = InboxImpl.PID)
@Designate(ocd = InboxImpl.Config.class)
public final class InboxImpl implements Inbox {

    public static final String PID = "io.rosetta.core.inbox";
    /** Who approved a device that its binding's configuration approves without asking. */
    public static final String AUTO = "auto";

    private static final Logger LOG = LoggerFactory.getLogger(InboxImpl.class);
    private static final long FULL_WARN_INTERVAL_MILLIS = 30_000;

    @ObjectClassDefinition(name = "Rosetta discovery inbox", description = "Devices discovered by bindings, waiting for approval")
    public @interface Config {
        @AttributeDefinition(description = "The inbox's file; empty means ${karaf.data}/rosetta/inbox.json")
        String file() default "";

        @AttributeDefinition(description = "Pending and rejected entries kept at most; further discoveries are refused")
        int maxEntries() default 10_000;

        @AttributeDefinition(description = "Approved entries kept as history; the oldest are dropped first")
        int maxApproved() default 1_000;

        @AttributeDefinition(description = "Milliseconds by which writes of discoveries are grouped (decisions are written at once)")
        long flushDelayMillis() default 1_000;
    }

    private final DeviceManager devices;
    private final TwinRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final InboxStore store;
    private final Clock clock;
    private final int maxEntries;
    private final int maxApproved;
    private final long flushDelayMillis;

    /** Guarded by {@code this}. */
    private final Map<ThingId, InboxEntry> entries = new LinkedHashMap<>();
    private ScheduledFuture<?> flush;
    private volatile boolean dirty;
    private long lastFullWarning = Long.MIN_VALUE;
    private final Object io = new Object();

    @Activate
    public InboxImpl(@Reference DeviceManager devices, @Reference TwinRegistry registry,
                     @Reference(target = "(rosetta.scheduler=core)") ScheduledExecutorService scheduler, Config config) {
        this(devices, registry, scheduler, file(config.file()), Clock.systemUTC(), config.maxEntries(), config.maxApproved(),
                config.flushDelayMillis());
    }

    /**
     * An inbox for tests and tools: {@code file} null keeps it in memory only, {@code scheduler} null writes
     * every change at once.
     */
    public InboxImpl(DeviceManager devices, TwinRegistry registry, ScheduledExecutorService scheduler, Path file, Clock clock,
                     int maxEntries, int maxApproved, long flushDelayMillis) {
        this.devices = devices;
        this.registry = registry;
        this.scheduler = scheduler;
        this.store = file == null ? null : new InboxStore(file);
        this.clock = clock;
        this.maxEntries = Math.max(1, maxEntries);
        this.maxApproved = Math.max(0, maxApproved);
        this.flushDelayMillis = Math.max(0, flushDelayMillis);
        if (store != null) {
            for (InboxEntry e : store.load()) {
                entries.put(e.thingId(), e);
            }
        }
    }

    private static Path file(String configured) {
        return configured == null || configured.isBlank()
                ? Paths.get(System.getProperty("karaf.data", "data"), "rosetta", "inbox.json")
                : Paths.get(configured.trim());
    }

    // ---- discoveries ------------------------------------------------------------------------

    @Override
    public Decision discovered(Discovery d) {
        ThingId id = d.device().thingId();
        Instant now = clock.instant();
        synchronized (this) {
            InboxEntry e = entries.get(id);
            if (e != null && e.status() == Status.REJECTED) {
                entries.put(id, e.seen(now));
                return Decision.SUPPRESSED;
            }
        }
        if (registry.retrieve(id).isPresent()) {
            // provisioned, or approved before: the twin is the approval
            devices.attach(d.device());
            return Decision.ATTACHED;
        }
        if (d.autoApprove()) {
            attach(d.device(), d.attributes());
            synchronized (this) {
                InboxEntry e = entries.get(id);
                Instant first = e == null ? now : e.discovered();
                entries.put(id, new InboxEntry(d.device(), Status.APPROVED, d.dialect(), d.source(), d.attributes(), first, now,
                        e == null ? 1 : e.announcements() + 1, AUTO, now));
                trimApproved();
                changed();
            }
            LOG.info("Device {} ({} {} on '{}') approved automatically as {}", id, d.device().bindingId(), d.dialect(), d.source(),
                    d.device().model());
            return Decision.ATTACHED;
        }
        synchronized (this) {
            InboxEntry e = entries.get(id);
            if (e != null && e.status() == Status.REJECTED) {
                return Decision.SUPPRESSED; // rejected meanwhile
            }
            if (e == null || e.status() == Status.APPROVED) {
                // new, or approved once but its twin was deleted since: it needs a decision again
                if (waiting() >= maxEntries) {
                    warnFull(id);
                    return Decision.FULL;
                }
                entries.put(id, new InboxEntry(d.device(), Status.PENDING, d.dialect(), d.source(), d.attributes(),
                        e == null ? now : e.discovered(), now, e == null ? 1 : e.announcements() + 1, null, null));
                changed();
                LOG.info("Device {} ({} {} on '{}', model {}) waits in the inbox for approval", id, d.device().bindingId(), d.dialect(),
                        d.source(), d.device().model());
            } else {
                InboxEntry updated = e.seen(d, now);
                entries.put(id, updated);
                if (!updated.device().equals(e.device()) || !updated.attributes().equals(e.attributes())
                        || !updated.source().equals(e.source())) {
                    changed();
                }
            }
            return Decision.HELD;
        }
    }

    /** Attaches a device; a twin created by it gets the entry's attributes. */
    private void attach(Device device, JsonObject attributes) {
        boolean existed = registry.retrieve(device.thingId()).isPresent();
        devices.attach(device);
        if (!existed && !attributes.isEmpty()) {
            try {
                registry.modify(device.thingId(), JsonPointer.of("attributes"), attributes, Precondition.exists());
            } catch (TwinException e) {
                LOG.warn("Twin {} was created, but its discovered attributes could not be set: {}", device.thingId(), e.getMessage());
            }
        }
    }

    private int waiting() {
        int n = 0;
        for (InboxEntry e : entries.values()) {
            if (e.status() != Status.APPROVED) {
                n++;
            }
        }
        return n;
    }

    private void warnFull(ThingId id) {
        long now = clock.millis();
        if (lastFullWarning == Long.MIN_VALUE || now - lastFullWarning >= FULL_WARN_INTERVAL_MILLIS) {
            lastFullWarning = now;
            LOG.warn("The inbox holds {} pending or rejected devices, its maximum (maxEntries in {}.cfg): {} and further discoveries are "
                    + "dropped until entries are approved, rejected or removed", maxEntries, PID, id);
        }
    }

    /** Drops the oldest approvals beyond {@code maxApproved}. */
    private void trimApproved() {
        List<InboxEntry> approved = new ArrayList<>();
        InboxEntry oldest = null;
        for (InboxEntry e : entries.values()) {
            if (e.status() == Status.APPROVED) {
                approved.add(e);
                if (oldest == null || decidedAt(e).compareTo(decidedAt(oldest)) < 0) {
                    oldest = e;
                }
            }
        }
        int excess = approved.size() - maxApproved;
        if (excess <= 0) {
            return;
        }
        if (excess == 1) {
            // one approval at a time beyond the bound (a fleet being discovered): no sort per device
            entries.remove(oldest.thingId());
            return;
        }
        approved.sort((a, b) -> decidedAt(a).compareTo(decidedAt(b)));
        for (int i = 0; i < excess; i++) {
            entries.remove(approved.get(i).thingId());
        }
    }

    private static Instant decidedAt(InboxEntry e) {
        return e.decidedAt() != null ? e.decidedAt() : e.discovered();
    }

    // ---- queries ----------------------------------------------------------------------------

    @Override
    public synchronized List<InboxEntry> entries() {
        List<InboxEntry> out = new ArrayList<>(entries.values());
        out.sort((a, b) -> a.thingId().compareTo(b.thingId()));
        return out;
    }

    @Override
    public synchronized Optional<InboxEntry> entry(ThingId thingId) {
        return Optional.ofNullable(entries.get(thingId));
    }

    // ---- decisions --------------------------------------------------------------------------

    @Override
    public InboxEntry approve(ThingId thingId, String who) {
        InboxEntry e = require(thingId);
        if (e.status() == Status.APPROVED && registry.retrieve(thingId).isPresent() && devices.device(thingId).isPresent()) {
            return e;
        }
        attach(e.device(), e.attributes());
        InboxEntry approved = e.decided(Status.APPROVED, name(who), clock.instant());
        synchronized (this) {
            entries.put(thingId, approved);
            trimApproved();
        }
        flushNow();
        LOG.info("Device {} ({} {} on '{}') approved by {}: its twin follows {}", thingId, e.bindingId(), e.dialect(), e.source(),
                approved.decidedBy(), e.model());
        return approved;
    }

    @Override
    public InboxEntry reject(ThingId thingId, String who) {
        InboxEntry rejected;
        synchronized (this) {
            InboxEntry e = require(thingId);
            rejected = e.decided(Status.REJECTED, name(who), clock.instant());
            entries.put(thingId, rejected);
        }
        devices.device(thingId).filter(d -> d.bindingId().equals(rejected.bindingId())).ifPresent(d -> devices.detach(thingId));
        flushNow();
        LOG.info("Device {} ({} {} on '{}') rejected by {}: its messages are dropped until the rejection is removed", thingId,
                rejected.bindingId(), rejected.dialect(), rejected.source(), rejected.decidedBy());
        return rejected;
    }

    @Override
    public boolean remove(ThingId thingId) {
        InboxEntry removed;
        synchronized (this) {
            removed = entries.remove(thingId);
        }
        if (removed == null) {
            return false;
        }
        flushNow();
        LOG.info("Inbox entry {} ({}) removed", thingId, removed.status());
        return true;
    }

    private synchronized InboxEntry require(ThingId thingId) {
        InboxEntry e = entries.get(thingId);
        if (e == null) {
            throw notFound(thingId);
        }
        return e;
    }

    /** 404 {@code inbox:entry.notfound}. */
    public static TwinException notFound(ThingId thingId) {
        return new TwinException(404, "inbox:entry.notfound", "The inbox has no entry for the Thing with ID '" + thingId + "'.",
                "GET /api/2/inbox lists the discovered devices.");
    }

    private static String name(String who) {
        return who == null || who.isBlank() ? "unknown" : who;
    }

    // ---- the file ---------------------------------------------------------------------------

    /** Something worth keeping changed: written within {@code flushDelayMillis}. Called holding {@code this}. */
    private void changed() {
        if (store == null) {
            return;
        }
        dirty = true;
        if (scheduler == null) {
            flushLocked();
            return;
        }
        if (flush == null || flush.isDone()) {
            try {
                flush = scheduler.schedule(this::flushNow, flushDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                flushLocked();
            }
        }
    }

    /** Writes the inbox now (decisions, deactivation). */
    void flushNow() {
        if (store == null) {
            return;
        }
        List<InboxEntry> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(entries.values());
            dirty = false;
        }
        write(snapshot);
    }

    private void flushLocked() {
        dirty = false;
        write(List.copyOf(entries.values()));
    }

    private void write(List<InboxEntry> snapshot) {
        synchronized (io) {
            try {
                store.save(snapshot);
            } catch (IOException | RuntimeException e) {
                LOG.error("The inbox could not be written to {}: {}; it is kept in memory and written with the next change", store.file(),
                        e.getMessage());
                dirty = true;
            }
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (flush != null) {
                flush.cancel(false);
            }
        }
        flushNow();
    }
}
