package io.rosetta.dynsec.internal;

import io.rosetta.core.binding.BackoffPolicy;
import io.rosetta.core.binding.ConnectionSupervisor;
import io.rosetta.core.binding.SupervisedConnection;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.devices.DeviceEvent;
import io.rosetta.devices.DeviceListener;
import io.rosetta.devices.DeviceRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an external Mosquitto's dynamic security plugin in line with the device registry ({@code etc/io.rosetta.dynsec.cfg},
 * off by default). Each committed change of the registry becomes commands ({@link DynsecPlan}) that wait in a bounded
 * queue and are published in batches on {@code $CONTROL/dynamic-security/v1} while the connection (kept up by the core's
 * {@link ConnectionSupervisor}) is up; the plugin's answers on {@code .../response} are matched by correlation id, and
 * refusals and missing answers are counted and logged. Every (re)connection starts a resync: Mosquitto's clients and
 * roles are listed and reconciled with the registry, which repairs what a restart of Mosquitto or a lost command left
 * behind (except the passwords of missing clients, which only their device's next password change can bring).
 */
@Component(service = {DynsecSync.class, DeviceListener.class}, configurationPid = DynsecSettings.PID, immediate = true)
@Designate(ocd = DynsecConfig.class)
public final class DynsecSync implements DeviceListener {

    private static final Logger LOG = LoggerFactory.getLogger(DynsecSync.class);
    private static final long WARN_INTERVAL_MILLIS = 30_000;

    /** What the synchronisation is doing. */
    public enum State {
        OFF, INVALID, CONNECTING, CONNECTED, DOWN
    }

    /** What a resync did. */
    public record ResyncReport(Instant started, Instant finished, int rolesCreated, int rolesUpdated, int rolesDeleted, int clientsUpdated,
                               int clientsEnabled, int clientsDisabled, int clientsDeleted, List<String> missingClients, int commands,
                               int failed, String error) {
    }

    /** A snapshot for the shell. */
    public record Status(State state, String url, String problem, int queued, int inflight, long sent, Map<String, Long> succeeded,
                         Map<String, Long> failed, long timeouts, long dropped, long passwordUnknown, long followUps, boolean resyncRunning,
                         ResyncReport lastResync) {
    }

    private record Queued(DynsecCommand command, ResyncRun run) {
    }

    private record Inflight(String id, DynsecCommand command, ResyncRun run, long deadline) {
    }

    /** One resync: the two listings, then the commands of its plan. */
    private static final class ResyncRun {
        final CompletableFuture<ResyncReport> done = new CompletableFuture<>();
        final Instant started = Instant.now();
        JsonObject clients;
        JsonObject roles;
        DynsecPlan.Resync plan;
        int outstanding;
        int failed;
    }

    private final DeviceRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final DynsecSettings settings;
    private final DynsecPlan plan;
    private final DynsecSession session;
    private final SupervisedConnection connection;

    private final Object lock = new Object();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final LinkedHashMap<String, Inflight> inflight = new LinkedHashMap<>();
    private long nextId;
    private boolean connected;
    private boolean pumpScheduled;
    private ResyncRun resync;
    private volatile ResyncReport lastResync;
    private volatile boolean closed;
    private volatile State state;
    private volatile String problem = "";

    private final LongAdder sent = new LongAdder();
    private final Map<String, LongAdder> succeeded = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder passwordUnknown = new LongAdder();
    private final LongAdder followUps = new LongAdder();
    private final AtomicLong lastWarned = new AtomicLong(Long.MIN_VALUE);

    @Activate
    public DynsecSync(@Reference DeviceRegistry registry, @Reference ConnectionSupervisor supervisor,
                      @Reference(target = "(rosetta.scheduler=core)") ScheduledExecutorService scheduler, DynsecConfig config,
                      Map<String, Object> properties) {
        this(registry, supervisor, scheduler, settings(config, properties));
    }

    DynsecSync(DeviceRegistry registry, ConnectionSupervisor supervisor, ScheduledExecutorService scheduler, DynsecSettings settings) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.settings = settings;
        if (settings == null || !settings.enabled()) {
            this.plan = null;
            this.session = null;
            this.connection = null;
            this.state = settings == null ? State.INVALID : State.OFF;
            if (settings != null) {
                LOG.info("Mosquitto dynamic security is off (enabled = false in etc/{}.cfg)", DynsecSettings.PID);
            }
            return;
        }
        this.plan = new DynsecPlan(settings.rolePrefix(), settings.topics());
        this.state = State.CONNECTING;
        this.problem = "not connected yet";
        this.session = new DynsecSession(settings, scheduler, this::onResponse, this::lost);
        BackoffPolicy base = supervisor.defaultBackoff();
        this.connection = supervisor.supervise("mosquitto dynsec (" + settings.url() + ")", session, this::statusChanged,
                base.withConnectTimeout(settings.connectTimeout().plusSeconds(2)));
        LOG.info("Mosquitto dynamic security: devices' clients and roles ({}<deviceId>) pushed to {} as '{}'; {}", settings.rolePrefix(),
                settings.url(), settings.username(), settings.topics());
    }

    private static DynsecSettings settings(DynsecConfig config, Map<String, Object> properties) {
        try {
            return DynsecSettings.of(config, properties);
        } catch (IllegalArgumentException e) {
            LOG.error("The Mosquitto dynamic security configuration (etc/{}.cfg) is invalid: {}; nothing is pushed", DynsecSettings.PID,
                    e.getMessage());
            return null;
        }
    }

    @Deactivate
    public void close() {
        closed = true;
        if (connection != null) {
            connection.close();
        }
        synchronized (lock) {
            queue.clear();
            inflight.clear();
            connected = false;
            if (resync != null) {
                resync.done.complete(report(resync, "stopped"));
            }
        }
    }

    // ---- the registry's changes (its thread: enqueue and return) ----

    @Override
    public void deviceChanged(DeviceEvent event) {
        if (plan == null || closed) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        List<DynsecCommand> commands = plan.onEvent(event, unknown);
        for (String id : unknown) {
            passwordUnknown.increment();
            warn("Device {}: its MQTT password is not known here (it was given as a hash); Mosquitto's client of it cannot be made or "
                    + "updated until the device gets a new password (a credentials change with the password itself)", id, null);
        }
        if (commands.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (DynsecCommand c : commands) {
                if (queue.size() >= settings.queueCapacity()) {
                    dropped.increment();
                    warn("Mosquitto dynamic security: the queue ({}) is full; {} dropped (a resync repairs what it can)",
                            settings.queueCapacity(), c);
                    continue;
                }
                queue.addLast(new Queued(c, null));
            }
        }
        schedulePump();
    }

    // ---- resync ----

    /** Starts a resync, or joins the one running; completes when every command of it was answered (or timed out). */
    public CompletableFuture<ResyncReport> resync() {
        if (plan == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Mosquitto dynamic security is " + state));
        }
        CompletableFuture<ResyncReport> f;
        synchronized (lock) {
            if (resync != null && !resync.done.isDone()) {
                return resync.done;
            }
            ResyncRun run = new ResyncRun();
            resync = run;
            run.outstanding = 2;
            queue.addLast(new Queued(new DynsecCommand(DynsecCommands.listClients(), null, null, false), run));
            queue.addLast(new Queued(new DynsecCommand(DynsecCommands.listRoles(), null, null, false), run));
            f = run.done;
        }
        f.thenAccept(r -> {
            lastResync = r;
            if (r.error() != null) {
                LOG.warn("Mosquitto dynamic security resync failed: {}", r.error());
            } else {
                LOG.info("Mosquitto dynamic security resync: {} commands ({} failed); roles {} created, {} updated, {} deleted; clients {} "
                        + "updated, {} enabled, {} disabled, {} deleted{}", r.commands(), r.failed(), r.rolesCreated(), r.rolesUpdated(),
                        r.rolesDeleted(), r.clientsUpdated(), r.clientsEnabled(), r.clientsDisabled(), r.clientsDeleted(),
                        r.missingClients().isEmpty() ? "" : "; " + r.missingClients().size() + " device(s) without a client, their passwords "
                                + "unknown here (give them new passwords): " + abbreviate(r.missingClients()));
            }
        });
        schedulePump();
        return f;
    }

    private static String abbreviate(List<String> ids) {
        return ids.size() <= 10 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 10)) + ", ...";
    }

    /** A listing or a planned command of the run was answered; under the lock. */
    private void answered(ResyncRun run, DynsecCommand command, JsonObject data, String error) {
        if (run.done.isDone()) {
            return;
        }
        String name = command.name();
        if (run.plan == null && ("listClients".equals(name) || "listRoles".equals(name))) {
            if (error != null) {
                run.done.complete(report(run, name + ": " + error));
                return;
            }
            if ("listClients".equals(name)) {
                run.clients = data == null ? JsonObject.empty() : data;
            } else {
                run.roles = data == null ? JsonObject.empty() : data;
            }
            run.outstanding--;
            if (run.clients != null && run.roles != null) {
                run.plan = plan.resync(registry.devices(), run.clients, run.roles);
                run.outstanding = run.plan.commands().size();
                for (DynsecCommand c : run.plan.commands()) {
                    queue.addLast(new Queued(c, run));
                }
                if (run.outstanding == 0) {
                    run.done.complete(report(run, null));
                }
            }
            return;
        }
        if (error != null) {
            run.failed++;
        }
        if (--run.outstanding <= 0) {
            run.done.complete(report(run, null));
        }
    }

    private static ResyncReport report(ResyncRun run, String error) {
        DynsecPlan.Resync p = run.plan;
        Instant now = Instant.now();
        if (p == null) {
            return new ResyncReport(run.started, now, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, error == null ? "no listing" : error);
        }
        return new ResyncReport(run.started, now, p.rolesCreated(), p.rolesUpdated(), p.rolesDeleted(), p.clientsUpdated(), p.clientsEnabled(),
                p.clientsDisabled(), p.clientsDeleted(), List.copyOf(p.missingClients()), p.commands().size(), run.failed, error);
    }

    // ---- sending (the core's scheduler) ----

    private void schedulePump() {
        synchronized (lock) {
            if (pumpScheduled || !connected || queue.isEmpty() || closed) {
                return;
            }
            pumpScheduled = true;
        }
        try {
            scheduler.execute(this::pump);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                pumpScheduled = false;
            }
        }
    }

    private void pump() {
        List<Inflight> batch = new ArrayList<>();
        synchronized (lock) {
            pumpScheduled = false;
            if (!connected || closed) {
                return;
            }
            long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
            while (batch.size() < settings.batchSize() && inflight.size() < settings.window() && !queue.isEmpty()) {
                Queued q = queue.pollFirst();
                Inflight f = new Inflight("r" + (++nextId), q.command(), q.run(), deadline);
                inflight.put(f.id(), f);
                batch.add(f);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<JsonObject> commands = new ArrayList<>(batch.size());
        for (Inflight f : batch) {
            commands.add(DynsecCommands.withCorrelation(f.command().body(), f.id()));
        }
        if (!session.publish(Json.writeBytes(DynsecCommands.envelope(commands)))) {
            synchronized (lock) {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    Inflight f = batch.get(i);
                    if (inflight.remove(f.id()) != null) {
                        queue.addFirst(new Queued(f.command(), f.run()));
                    }
                }
            }
            return;
        }
        sent.add(batch.size());
        try {
            scheduler.schedule(this::expire, settings.responseTimeout().toMillis() + 50, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
        schedulePump();
    }

    private void expire() {
        long now = System.nanoTime();
        List<Inflight> expired = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Inflight> it = inflight.values().iterator(); it.hasNext(); ) {
                Inflight f = it.next();
                if (f.deadline() - now <= 0) {
                    it.remove();
                    expired.add(f);
                    if (f.run() != null) {
                        answered(f.run(), f.command(), null, "no answer");
                    }
                }
            }
        }
        for (Inflight f : expired) {
            timeouts.increment();
            warn("Mosquitto dynamic security did not answer {} within {}", f.command(), settings.responseTimeout());
        }
        schedulePump();
    }

    // ---- answers (the core's scheduler) ----

    void onResponse(byte[] payload) {
        JsonArray responses;
        try {
            JsonValue v = Json.parse(payload);
            if (!(v instanceof JsonObject o) || !(o.getOrNull("responses") instanceof JsonArray a)) {
                return;
            }
            responses = a;
        } catch (InvalidJsonException e) {
            warn("Mosquitto dynamic security answered something that is not JSON: {}", e.getMessage(), null);
            return;
        }
        for (JsonValue v : responses) {
            if (!(v instanceof JsonObject r) || !(r.getOrNull("correlationData") instanceof JsonString cid)) {
                // an answer to another administrator's command
                continue;
            }
            String error = r.getOrNull("error") instanceof JsonString e ? e.value() : null;
            JsonObject data = r.getOrNull("data") instanceof JsonObject d ? d : null;
            synchronized (lock) {
                Inflight f = inflight.remove(cid.value());
                if (f == null) {
                    continue;
                }
                handle(f, error, data);
            }
        }
        schedulePump();
    }

    /** Under the lock. */
    private void handle(Inflight f, String error, JsonObject data) {
        DynsecCommand c = f.command();
        String lower = error == null ? "" : error.toLowerCase(java.util.Locale.ROOT);
        if (error != null && c.onExists() != null && lower.contains("already exists")) {
            followUps.increment();
            queue.addFirst(new Queued(c.onExists(), f.run()));
            return;
        }
        if (error != null && c.absentIsDone() && (lower.contains("not found") || lower.contains("does not exist"))) {
            error = null;
        }
        if (error == null) {
            succeeded.computeIfAbsent(c.name(), k -> new LongAdder()).increment();
        } else {
            failed.computeIfAbsent(c.name(), k -> new LongAdder()).increment();
            warn("Mosquitto dynamic security refused {}: {}", c, error);
        }
        if (f.run() != null) {
            answered(f.run(), c, data, error);
        }
    }

    // ---- the connection ----

    private void lost(Throwable cause) {
        SupervisedConnection c = connection;
        if (c != null) {
            c.connectionLost(cause);
        }
    }

    private void statusChanged(ConnectivityStatus status) {
        if (status.isOnline()) {
            synchronized (lock) {
                connected = true;
            }
            state = State.CONNECTED;
            problem = "";
            LOG.info("Mosquitto dynamic security: connected to {}", settings.url());
            if (settings.resyncOnConnect()) {
                resync();
            }
            schedulePump();
            return;
        }
        boolean wasUp;
        synchronized (lock) {
            wasUp = connected;
            connected = false;
            // sent but not answered: sent again after the reconnection (every command may be repeated)
            List<Inflight> pending = new ArrayList<>(inflight.values());
            inflight.clear();
            for (int i = pending.size() - 1; i >= 0; i--) {
                queue.addFirst(new Queued(pending.get(i).command(), pending.get(i).run()));
            }
        }
        state = State.DOWN;
        problem = status.description() == null ? "connection lost" : status.description();
        if (wasUp) {
            LOG.warn("Mosquitto dynamic security lost {}: {}; reconnecting (changes wait in the queue)", settings.url(), problem);
        } else {
            LOG.debug("Mosquitto dynamic security could not connect to {}: {}", settings.url(), problem);
        }
    }

    // ---- status ----

    public State state() {
        return state;
    }

    public Status status() {
        int q;
        int i;
        boolean running;
        synchronized (lock) {
            q = queue.size();
            i = inflight.size();
            running = resync != null && !resync.done.isDone();
        }
        return new Status(state, settings == null ? "" : settings.url(), problem, q, i, sent.sum(), snapshot(succeeded), snapshot(failed),
                timeouts.sum(), dropped.sum(), passwordUnknown.sum(), followUps.sum(), running, lastResync);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void warn(String format, Object a, Object b) {
        long now = System.currentTimeMillis();
        long previous = lastWarned.get();
        if ((previous == Long.MIN_VALUE || now - previous >= WARN_INTERVAL_MILLIS) && lastWarned.compareAndSet(previous, now)) {
            LOG.warn(format + " (further ones are counted; rosetta:dynsec shows them)", a, b);
        } else {
            LOG.debug(format, a, b);
        }
    }
}
