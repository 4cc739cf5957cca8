package io.rosetta.broker.internal;

import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.rosetta.broker.BrokerStatistics.ConnectRefusal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded broker and what they may do there: Moquette's {@link IAuthenticator} and
 * {@link IAuthorizatorPolicy}, and an interceptor that follows which client ids belong to which device.
 *
 * <ul>
 * <li>The service account (if configured) logs in with its password and may use every topic.</li>
 * <li>When devices are authenticated against the registry, any other username is a device's MQTT username: its
 * password is checked by the registry (PROVISIONED and ACTIVE devices only), and it may use only its own topics
 * ({@link DeviceTopicRules}). When the registry's service is away, devices are refused.</li>
 * <li>Clients without a username get in only when anonymous access is allowed, and may then use every topic.</li>
 * <li>When the registry revokes a device's credentials, its sessions are closed; a device that publishes outside its
 * topics is disconnected.</li>
 * </ul>
 *
 * Moquette calls the authenticator on the Netty thread of the connection: a password the registry verified before is
 * checked from its memory in microseconds; a first check runs Argon2id there (tens of milliseconds).
 */
final class BrokerSecurity extends AbstractInterceptHandler implements IAuthenticator, IAuthorizatorPolicy, DeviceAuthority.Watcher {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
    private static final long WARN_INTERVAL_MILLIS = 30_000;
    @SuppressWarnings("unchecked")
    private static final Class<?>[] INTERCEPTED = {InterceptConnectMessage.class, InterceptDisconnectMessage.class,
        InterceptConnectionLostMessage.class};

    private final boolean authenticatesDevices;
    private final boolean anonymous;
    private final ServiceAccount service;
    private volatile DeviceAuthority authority;
    private volatile Predicate<String> disconnector = clientId -> false;

    /** The topics of connected devices, by MQTT username; filled at CONNECT, dropped when the registry changes the device. */
    private final Map<String, TopicAcl> acls = new ConcurrentHashMap<>();
    /** The client ids under which each device username is connected, and the other way round. */
    private final Map<String, Set<String>> clientsByUser = new ConcurrentHashMap<>();
    private final Map<String, String> userByClient = new ConcurrentHashMap<>();

    private final LongAdder acceptedDevices = new LongAdder();
    private final LongAdder acceptedService = new LongAdder();
    private final Map<ConnectRefusal, LongAdder> refused = new EnumMap<>(ConnectRefusal.class);
    private final LongAdder deniedPublishes = new LongAdder();
    private final LongAdder deniedSubscriptions = new LongAdder();
    private final LongAdder revocationDisconnects = new LongAdder();
    private final AtomicLong lastWarned = new AtomicLong(Long.MIN_VALUE);

    BrokerSecurity(boolean authenticatesDevices, boolean anonymous, ServiceAccount service) {
        this.authenticatesDevices = authenticatesDevices;
        this.anonymous = anonymous;
        this.service = service;
        for (ConnectRefusal r : ConnectRefusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    boolean authenticatesDevices() {
        return authenticatesDevices;
    }

    boolean anonymous() {
        return anonymous;
    }

    ServiceAccount service() {
        return service;
    }

    /**
     * How to close a client's session: Moquette's {@code Server.disconnectClient} once the server runs, {@code true} when
     * there was a session to close.
     */
    void disconnectWith(Predicate<String> disconnector) {
        this.disconnector = disconnector;
    }

    void setAuthority(DeviceAuthority a) {
        DeviceAuthority old = this.authority;
        if (old != null) {
            old.unwatch(this);
        }
        this.authority = a;
        acls.clear();
        if (a != null) {
            a.watch(this);
        }
    }

    void unsetAuthority(DeviceAuthority a) {
        if (this.authority == a) {
            a.unwatch(this);
            this.authority = null;
            acls.clear();
        }
    }

    // ---- authentication (Moquette: Netty thread of the connection) ----

    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        if (username == null) {
            // Moquette asks only for clients with a username; without one it applies allow_anonymous itself
            return anonymous;
        }
        if (service != null && username.equals(service.username())) {
            if (service.verify(password)) {
                acceptedService.increment();
                return true;
            }
            return refuse(ConnectRefusal.SERVICE_ACCOUNT, clientId, username);
        }
        if (!authenticatesDevices) {
            // no registry installed: the broker is open, as it was before devices had credentials
            return true;
        }
        DeviceAuthority a = authority;
        if (a == null) {
            return refuse(ConnectRefusal.REGISTRY_UNAVAILABLE, clientId, username);
        }
        DeviceAuthority.Verdict v = a.authenticate(username, password);
        switch (v.outcome()) {
            case ACCEPTED -> {
                acls.put(username, v.acl());
                track(clientId, username);
                acceptedDevices.increment();
                return true;
            }
            case UNKNOWN -> {
                return refuse(ConnectRefusal.UNKNOWN, clientId, username);
            }
            case BAD_CREDENTIALS -> {
                return refuse(ConnectRefusal.BAD_CREDENTIALS, clientId, username);
            }
            case NOT_ALLOWED -> {
                return refuse(ConnectRefusal.NOT_ALLOWED, clientId, username);
            }
            default -> {
                return refuse(ConnectRefusal.BUSY, clientId, username);
            }
        }
    }

    private boolean refuse(ConnectRefusal reason, String clientId, String username) {
        refused.get(reason).increment();
        long now = System.currentTimeMillis();
        long previous = lastWarned.get();
        if ((previous == Long.MIN_VALUE || now - previous >= WARN_INTERVAL_MILLIS) && lastWarned.compareAndSet(previous, now)) {
            LOG.warn("Embedded MQTT broker refused client '{}' (username '{}'): {} (further refusals are counted; logged at DEBUG)",
                    clientId, username, reason);
        } else {
            LOG.debug("Embedded MQTT broker refused client '{}' (username '{}'): {}", clientId, username, reason);
        }
        return false;
    }

    // ---- authorization (Moquette: every PUBLISH and SUBSCRIBE) ----

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        if (unrestricted(user)) {
            return true;
        }
        TopicAcl acl = aclOf(user);
        if (acl != null && acl.canPublish(topic.toString())) {
            return true;
        }
        deniedPublishes.increment();
        LOG.debug("Device '{}' (client '{}') may not publish to '{}': disconnected", user, client, topic);
        // Moquette 0.17 neither acknowledges a refused QoS 1/2 publication nor closes the connection; closing it tells the
        // device at once (as MQTT 3.1.1 allows for a protocol violation, and as cloud IoT brokers do)
        disconnector.test(client);
        return false;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        if (unrestricted(user)) {
            return true;
        }
        TopicAcl acl = aclOf(user);
        if (acl != null && acl.canSubscribe(topic.toString())) {
            return true;
        }
        deniedSubscriptions.increment();
        LOG.debug("Device '{}' (client '{}') may not subscribe to '{}'", user, client, topic);
        return false;
    }

    private boolean unrestricted(String user) {
        if (user == null) {
            return anonymous;
        }
        return !authenticatesDevices || service != null && user.equals(service.username());
    }

    private TopicAcl aclOf(String user) {
        if (user == null) {
            return null;
        }
        TopicAcl acl = acls.get(user);
        if (acl != null) {
            return acl;
        }
        DeviceAuthority a = authority;
        acl = a == null ? null : a.acl(user);
        if (acl != null && clientsByUser.containsKey(user)) {
            acls.put(user, acl);
        }
        return acl;
    }

    // ---- sessions of devices (Moquette's interceptor thread) ----

    @Override
    public String getID() {
        return "rosetta-device-sessions";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return INTERCEPTED.clone();
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        String user = msg.getUsername();
        if (!isDevice(user)) {
            return;
        }
        track(msg.getClientID(), user);
        DeviceAuthority a = authority;
        if (a == null || !a.mayConnect(user)) {
            // revoked between the password check and the session's start
            // (an event that arrives late, for a session that revoked() already closed, finds nothing to close)
            acls.remove(user);
            untrack(msg.getClientID(), user);
            if (disconnector.test(msg.getClientID())) {
                revocationDisconnects.increment();
            }
        }
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        untrack(msg.getClientID(), msg.getUsername());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        untrack(msg.getClientID(), msg.getUsername());
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        LOG.debug("Moquette session loop error", error);
    }

    private boolean isDevice(String user) {
        return authenticatesDevices && user != null && !(service != null && user.equals(service.username()));
    }

    private void track(String clientId, String user) {
        String previous = userByClient.put(clientId, user);
        if (previous != null && !previous.equals(user)) {
            // a client id taken over by another username
            removeClient(previous, clientId);
        }
        clientsByUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(clientId);
    }

    private void untrack(String clientId, String user) {
        if (clientId == null || user == null) {
            return;
        }
        if (userByClient.remove(clientId, user)) {
            removeClient(user, clientId);
        }
    }

    private void removeClient(String user, String clientId) {
        clientsByUser.computeIfPresent(user, (u, set) -> {
            set.remove(clientId);
            return set.isEmpty() ? null : set;
        });
    }

    // ---- the registry's changes (its thread) ----

    @Override
    public void revoked(String username, String deviceId) {
        acls.remove(username);
        Set<String> clients = clientsByUser.remove(username);
        if (clients == null) {
            return;
        }
        for (String clientId : clients) {
            userByClient.remove(clientId, username);
            if (disconnector.test(clientId)) {
                revocationDisconnects.increment();
            }
        }
        LOG.info("Device {} (MQTT username '{}'): credentials revoked, {} session(s) closed", deviceId, username, clients.size());
    }

    @Override
    public void topicsChanged(String username) {
        acls.remove(username);
    }

    // ---- counters ----

    long acceptedDevices() {
        return acceptedDevices.sum();
    }

    long acceptedService() {
        return acceptedService.sum();
    }

    Map<ConnectRefusal, Long> refused() {
        Map<ConnectRefusal, Long> out = new EnumMap<>(ConnectRefusal.class);
        refused.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    long refused(ConnectRefusal reason) {
        return refused.get(reason).sum();
    }

    long deniedPublishes() {
        return deniedPublishes.sum();
    }

    long deniedSubscriptions() {
        return deniedSubscriptions.sum();
    }

    long revocationDisconnects() {
        return revocationDisconnects.sum();
    }

    int deviceSessions() {
        return userByClient.size();
    }
}
