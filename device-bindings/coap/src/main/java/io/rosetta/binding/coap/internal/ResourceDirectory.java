package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.config.CoapServerConfig;
import io.rosetta.binding.coap.internal.json.JsonMapping;
import io.rosetta.binding.coap.internal.json.JsonMappings;
import io.rosetta.core.binding.Device;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.models.ModelRegistry;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registration interface of a CoRE Resource Directory (RFC 9176 section 5.3, a subset): register
 * ({@code POST /rd?ep=..&lt=..}), update ({@code POST /rd/<id>}) and remove ({@code DELETE /rd/<id>}).
 * A registration attaches the endpoint's twin ({@link DeviceManager#attach}) and sets it {@code ONLINE};
 * when its lifetime runs out (timed on the core's scheduler) the twin goes {@code OFFLINE}. The
 * attachment stays: the endpoint may register again.
 */
public final class ResourceDirectory {

    private final CoapRuntime runtime;
    private final DeviceManager devices;
    private final ModelRegistry models;
    private final ScheduledExecutorService scheduler;
    private final CoapServerConfig config;
    private final JsonMappings jsonMappings;
    private final RegistryAdmission admission;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Registration> byEndpoint = new HashMap<>();
    private final Map<String, Registration> byId = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> expiries = new HashMap<>();
    private boolean closed;

    ResourceDirectory(CoapRuntime runtime, DeviceManager devices, ModelRegistry models, ScheduledExecutorService scheduler,
                      CoapServerConfig config, JsonMappings jsonMappings, RegistryAdmission admission) {
        this.jsonMappings = jsonMappings;
        this.admission = admission;
        this.runtime = runtime;
        this.devices = devices;
        this.models = models;
        this.scheduler = scheduler;
        this.config = config;
    }

    /**
     * Registers (or registers again) an endpoint. {@code identity} is the endpoint the DTLS credential
     * authenticates, {@code null} for plain CoAP; {@code mapping} names the JSON mapping of its
     * {@code application/json} readings ({@code null}: its model's default); {@code deviceId} is the device
     * registry's device whose credential authenticated the session ({@code null}: another credential or plain
     * CoAP): its twin and model are the registry's. A device the registry knows is admitted first
     * ({@link RegistryAdmission#admit}: first contact, or 4.03 when it is suspended).
     */
    public Registration register(String ep, String lt, String et, String base, String linkFormat, InetSocketAddress peer,
                          String identity, String mapping, String deviceId) throws RejectedException {
        if (ep == null || ep.isEmpty()) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "the endpoint name 'ep' is missing");
        }
        authorize(ep, identity);
        ThingId thingId;
        String deviceModel = null;
        if (deviceId != null) {
            io.rosetta.devices.Device d = admission.device(deviceId);
            thingId = d.thingId();
            deviceModel = d.modelId();
        } else {
            try {
                thingId = ThingId.of(config.namespace(), ep);
            } catch (InvalidIdException e) {
                throw new RejectedException(RejectReason.BAD_REGISTRATION, "endpoint name '" + ep + "' is not valid: " + e.getMessage());
            }
            if (admission.pskDevice(ep).isPresent()) {
                throw new RejectedException(RejectReason.FORBIDDEN, "endpoint '" + ep + "' is a device of the device registry: "
                        + "it registers over DTLS with its own pre-shared key");
            }
        }
        long lifetime = lifetime(lt);
        String model = et != null && !et.isEmpty() ? et : deviceModel != null ? deviceModel : config.defaultModel();
        if (model.isEmpty()) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "the endpoint type 'et' (a model id) is missing and no "
                    + "defaultModel is configured");
        }
        if (deviceModel != null && !deviceModel.equals(model)) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "the endpoint type '" + model + "' is not the model of device '"
                    + deviceId + "' in the device registry (" + deviceModel + ")");
        }
        if (models.model(model).isEmpty()) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "the endpoint type '" + model + "' is not a known model");
        }
        if (mapping != null && !mapping.isEmpty()) {
            JsonMapping m = jsonMappings.named(mapping).orElseThrow(() -> new RejectedException(RejectReason.BAD_REGISTRATION,
                    "there is no JSON mapping '" + mapping + "'"));
            if (!m.model().equals(model)) {
                throw new RejectedException(RejectReason.BAD_REGISTRATION, "the JSON mapping '" + mapping + "' is for "
                        + m.model() + ", not for " + model);
            }
        }
        List<Registration.Link> links = LinkFormat.parse(linkFormat);
        String resolvedBase = base(base, peer, identity != null);
        admission.admit(deviceId, thingId);
        Device device = new Device(thingId, CoapBindingConstants.BINDING_ID, model,
                JsonObject.of(CoapBindingConstants.CONFIG_ENDPOINT, JsonString.of(ep)));
        try {
            devices.attach(device);
        } catch (TwinException | IllegalArgumentException e) {
            throw new RejectedException(RejectReason.ATTACH_REFUSED, "the twin " + thingId + " cannot be attached: " + e.getMessage());
        }
        Registration r;
        synchronized (this) {
            if (closed) {
                throw new RejectedException(RejectReason.UNKNOWN_ENDPOINT, "the directory is closing");
            }
            Registration old = byEndpoint.get(ep);
            String id = old != null ? old.id() : Long.toString(ids.incrementAndGet(), 36);
            r = new Registration(id, ep, thingId, model, lifetime, resolvedBase, links, peer, identity,
                    mapping == null || mapping.isEmpty() ? null : mapping, deviceId);
            byEndpoint.put(ep, r);
            byId.put(id, r);
            schedule(r);
        }
        runtime.registered(r, true);
        return r;
    }

    /** Refreshes a registration's lifetime (and, when given, its lifetime value, base and links). */
    public Registration update(String id, String lt, String base, String linkFormat, InetSocketAddress peer, String identity)
            throws RejectedException {
        Registration r;
        synchronized (this) {
            Registration old = lookup(id);
            authorize(old.endpoint(), identity);
            long lifetime = lt == null ? old.lifetime() : lifetime(lt);
            List<Registration.Link> links = linkFormat == null || linkFormat.isBlank() ? old.links() : LinkFormat.parse(linkFormat);
            String b = identity != null ? base(null, peer, true) : base == null ? old.base() : base(base, peer, false);
            r = old.with(lifetime, b, links, peer);
            byEndpoint.put(r.endpoint(), r);
            byId.put(id, r);
            schedule(r);
        }
        runtime.registered(r, false);
        return r;
    }

    /** Removes a registration: the twin goes OFFLINE (it stays attached). */
    public void remove(String id, String identity) throws RejectedException {
        Registration r;
        synchronized (this) {
            r = lookup(id);
            authorize(r.endpoint(), identity);
            drop(r);
        }
        runtime.unregistered(r, ConnectivityStatus.offline(ConnectivityStatus.Detail.NONE,
                "the endpoint removed its registration"));
    }

    /**
     * Ends the registrations of a twin because the device registry revoked its device (suspended, decommissioned,
     * credentials changed): the twin goes OFFLINE with {@code why}; the device must register again.
     */
    List<Registration> revoke(ThingId thingId, String why) {
        List<Registration> ended = new java.util.ArrayList<>();
        synchronized (this) {
            for (Registration r : List.copyOf(byId.values())) {
                if (r.thingId().equals(thingId)) {
                    drop(r);
                    ended.add(r);
                }
            }
        }
        ended.forEach(r -> runtime.unregistered(r, ConnectivityStatus.offline(ConnectivityStatus.Detail.NONE, why)));
        return ended;
    }

    RegistryAdmission admission() {
        return admission;
    }

    synchronized Optional<Registration> endpoint(String ep) {
        return Optional.ofNullable(byEndpoint.get(ep));
    }

    /** Checks that a DTLS identity may speak for an endpoint; {@code null} (plain CoAP) only when allowed. */
    void authorize(String ep, String identity) throws RejectedException {
        if (identity == null) {
            if (!config.allowPlainCoap()) {
                throw new RejectedException(RejectReason.FORBIDDEN, "plain CoAP is not allowed: use DTLS (coaps)");
            }
        } else if (!identity.equals(ep)) {
            throw new RejectedException(RejectReason.FORBIDDEN, "the DTLS peer authenticated as '" + identity
                    + "' may not act for endpoint '" + ep + "'");
        }
    }

    synchronized void close() {
        closed = true;
        expiries.values().forEach(f -> f.cancel(false));
        expiries.clear();
    }

    private Registration lookup(String id) throws RejectedException {
        Registration r = byId.get(id);
        if (r == null) {
            throw new RejectedException(RejectReason.UNKNOWN_ENDPOINT, "no registration /rd/" + id);
        }
        return r;
    }

    private void drop(Registration r) {
        byId.remove(r.id());
        byEndpoint.remove(r.endpoint(), r);
        ScheduledFuture<?> f = expiries.remove(r.id());
        if (f != null) {
            f.cancel(false);
        }
    }

    private void schedule(Registration r) {
        ScheduledFuture<?> old = expiries.remove(r.id());
        if (old != null) {
            old.cancel(false);
        }
        try {
            expiries.put(r.id(), scheduler.schedule(() -> expire(r), r.lifetime(), TimeUnit.SECONDS));
        } catch (RejectedExecutionException e) {
            // the scheduler is stopping: the server is going away with it
        }
    }

    private void expire(Registration r) {
        synchronized (this) {
            if (closed || byId.get(r.id()) != r) {
                return; // updated or removed meanwhile
            }
            drop(r);
        }
        runtime.unregistered(r, ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR,
                "the registration's lifetime of " + r.lifetime() + " s expired"));
    }

    private long lifetime(String lt) throws RejectedException {
        if (lt == null) {
            return Math.max(config.minLifetime(), Math.min(config.maxLifetime(), 90000));
        }
        long l;
        try {
            l = Long.parseLong(lt);
        } catch (NumberFormatException e) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "lifetime 'lt' must be a whole number of seconds but was '"
                    + lt + "'");
        }
        if (l < config.minLifetime() || l > config.maxLifetime()) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "lifetime 'lt' must be between " + config.minLifetime()
                    + " and " + config.maxLifetime() + " s but was " + l);
        }
        return l;
    }

    /**
     * Where the endpoint's resources are: the {@code base} parameter for plain CoAP (a device may register on
     * behalf of a server elsewhere), the peer itself otherwise. Over DTLS the base is always the peer of the
     * DTLS session: requests to the device travel inside that session.
     */
    private static String base(String base, InetSocketAddress peer, boolean secure) throws RejectedException {
        if (secure && base != null && !base.isEmpty()) {
            throw new RejectedException(RejectReason.BAD_REGISTRATION, "over DTLS the base is the DTLS session's peer; "
                    + "a 'base' parameter is not accepted");
        }
        if (base != null && !base.isEmpty()) {
            if (!base.startsWith("coap://") && !base.startsWith("coaps://")) {
                throw new RejectedException(RejectReason.BAD_REGISTRATION, "base must be a coap:// or coaps:// URI but was '" + base + "'");
            }
            return base;
        }
        String host = peer.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (secure ? "coaps://" : "coap://") + host + ":" + peer.getPort();
    }
}
