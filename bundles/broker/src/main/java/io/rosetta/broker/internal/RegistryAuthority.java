package io.rosetta.broker.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.devices.AuthResult;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import io.rosetta.devices.DeviceListener;
import io.rosetta.devices.DeviceRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device registry, for the embedded broker: MQTT passwords checked with {@link DeviceRegistry#authenticateMqtt},
 * each device's topics by the {@link DeviceTopicRules} of {@code io.rosetta.broker}, and the registry's changes turned
 * into revocations (a device suspended or decommissioned, its MQTT username or password changed) and topic changes.
 * Active only where the registry runs; the broker finds it as an optional service.
 */
@Component(service = {DeviceAuthority.class, DeviceListener.class}, configurationPid = BrokerSettingsPid.PID, immediate = true)
public final class RegistryAuthority implements DeviceAuthority, DeviceListener {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryAuthority.class);

    private final DeviceRegistry registry;
    private final DeviceTopicRules rules;
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    @Activate
    public RegistryAuthority(@Reference DeviceRegistry registry, Map<String, Object> properties) {
        this.registry = registry;
        DeviceTopicRules r;
        try {
            r = DeviceTopicRules.from(properties);
        } catch (IllegalArgumentException e) {
            // the broker refuses to start on the same configuration and says why; devices get no topics meanwhile
            LOG.debug("Device topic rules not usable: {}", e.getMessage());
            r = new DeviceTopicRules(TopicTemplates.parse(DeviceTopicRules.KEY, ""), Map.of());
        }
        this.rules = r;
    }

    RegistryAuthority(DeviceRegistry registry, DeviceTopicRules rules) {
        this.registry = registry;
        this.rules = rules;
    }

    @Override
    public Verdict authenticate(String username, byte[] password) {
        AuthResult r = registry.authenticateMqtt(username, password);
        Device d = r.device();
        return switch (r.outcome()) {
            case ACCEPTED -> new Verdict(Outcome.ACCEPTED, d.deviceId(), aclOf(d));
            case UNKNOWN -> new Verdict(Outcome.UNKNOWN, null, null);
            case BAD_CREDENTIALS -> new Verdict(Outcome.BAD_CREDENTIALS, d == null ? null : d.deviceId(), null);
            case NOT_ALLOWED -> new Verdict(Outcome.NOT_ALLOWED, d == null ? null : d.deviceId(), null);
            case BUSY -> new Verdict(Outcome.BUSY, d == null ? null : d.deviceId(), null);
        };
    }

    @Override
    public TopicAcl acl(String username) {
        return registry.byMqttUsername(username)
                .filter(d -> d.acceptsCredentials() && username.equals(d.credentials().mqttUsername()))
                .map(this::aclOf)
                .orElse(null);
    }

    @Override
    public boolean mayConnect(String username) {
        return registry.byMqttUsername(username).map(d -> d.acceptsCredentials() && username.equals(d.credentials().mqttUsername()))
                .orElse(false);
    }

    TopicAcl aclOf(Device d) {
        List<String> rejected = new ArrayList<>();
        TopicAcl acl = rules.aclOf(facts(d), rejected);
        if (!rejected.isEmpty()) {
            LOG.warn("Device {}: the entries {} of its configuration's {} are not MQTT topic filters and are ignored", d.deviceId(), rejected,
                    DeviceTopicRules.DEVICE_KEY);
        }
        return acl;
    }

    static DeviceTopicRules.Device facts(Device d) {
        return new DeviceTopicRules.Device(d.deviceId(), d.credentials().mqttUsername(), d.thingId().namespace(), d.thingId().name(),
                d.binding(), ownTopics(d.configuration().getOrNull(DeviceTopicRules.DEVICE_KEY)));
    }

    /** {@code mqttTopics} of a device's configuration: an array of strings, or one comma-separated string; absent: null. */
    static List<String> ownTopics(JsonValue v) {
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s) {
            return Arrays.stream(s.value().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray a) {
            for (JsonValue e : a) {
                out.add(e instanceof JsonString s ? s.value() : String.valueOf(e));
            }
        } else {
            out.add(String.valueOf(v));
        }
        return out;
    }

    @Override
    public void watch(Watcher watcher) {
        watchers.add(watcher);
    }

    @Override
    public void unwatch(Watcher watcher) {
        watchers.remove(watcher);
    }

    @Override
    public void deviceChanged(DeviceEvent event) {
        if (watchers.isEmpty() || event.before() == null) {
            return;
        }
        Credentials before = event.before().credentials();
        Credentials after = event.after().credentials();
        String oldUser = before.mqttUsername();
        boolean mqttChanged = !Objects.equals(oldUser, after.mqttUsername()) || !Objects.equals(before.mqttPasswordHash(), after.mqttPasswordHash());
        if (oldUser != null && (event.revoked() || mqttChanged && event.before().acceptsCredentials())) {
            for (Watcher w : watchers) {
                w.revoked(oldUser, event.after().deviceId());
            }
        } else if (oldUser != null) {
            for (Watcher w : watchers) {
                w.topicsChanged(oldUser);
            }
        }
        String newUser = after.mqttUsername();
        if (newUser != null && !newUser.equals(oldUser)) {
            for (Watcher w : watchers) {
                w.topicsChanged(newUser);
            }
        }
    }
}
