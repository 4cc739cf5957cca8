package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.DeviceMapping;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shelly Gen2 and Gen3 devices (the RPC API): status notifications as JSON-RPC frames on
 * {@code <prefix>/events/rpc} ({@code NotifyStatus} with the changed part of a component's status,
 * {@code NotifyFullStatus} with all of it; components are named {@code <type>:<id>}, e.g.
 * {@code temperature:0}, {@code switch:0}), availability on {@code <prefix>/online} ({@code true} or
 * {@code false}, the device's last will), commands as JSON-RPC requests on {@code <prefix>/rpc}
 * ({@code {"id":1,"src":"rosetta","method":"Switch.Set","params":{"id":0,"on":true}}}). The prefix is
 * the device id ({@code shellyplusht-08b61fcb7f3c}) unless changed on the device; mapping pointers
 * are into {@code params}. Thing ids are {@code <namespace>:shelly-<prefix>}.
 */
public final class ShellyGen2Dialect implements Dialect {

    public static final String ID = "shelly";
    public static final String THING_PREFIX = "shelly";
    /** The {@code src} of our requests: the device answers on {@code rosetta/rpc}, which nobody needs to read. */
    static final String SOURCE = "rosetta";

    private static final String EVENTS = "/events/rpc";
    private static final String ONLINE = "/online";
    private static final List<String> SUBSCRIPTIONS = List.of("+" + EVENTS, "+" + ONLINE);

    private final String namespace;
    private final List<DeviceMapping> mappings;
    private final PropertyMapper mapper;
    private final AtomicLong requestIds = new AtomicLong();

    public ShellyGen2Dialect(String namespace, List<DeviceMapping> mappings, PropertyMapper mapper) {
        this.namespace = namespace;
        this.mappings = List.copyOf(mappings);
        this.mapper = mapper;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> subscriptions() {
        return SUBSCRIPTIONS;
    }

    @Override
    public List<Decoded> decode(String topic, byte[] payload, KnownDevices known) throws RejectedException {
        if (topic.endsWith(ONLINE)) {
            String prefix = prefix(topic, ONLINE);
            String text = JsonPayloads.text(payload);
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true" -> List.of(new Decoded.Availability(thingId(prefix), true));
                case "false" -> List.of(new Decoded.Availability(thingId(prefix), false));
                default -> throw new RejectedException(RejectReason.OUT_OF_RANGE, "online must be true or false but was '" + text + "'");
            };
        }
        if (!topic.endsWith(EVENTS)) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "not a Shelly Gen2 topic: " + topic);
        }
        String prefix = prefix(topic, EVENTS);
        JsonObject frame = JsonPayloads.object(payload);
        if (!(frame.getOrNull("method") instanceof JsonString method)) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a JSON-RPC notification needs a string 'method'");
        }
        if (!"NotifyStatus".equals(method.value()) && !"NotifyFullStatus".equals(method.value())) {
            // NotifyEvent (button pushes, scheduled script events) carries no state of the models
            return List.of(new Decoded.Ignored(method.value()));
        }
        if (!(frame.getOrNull("params") instanceof JsonObject params)) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, method.value() + " needs an object 'params'");
        }
        ThingId id = thingId(prefix);
        Optional<String> model = known.model(id);
        DeviceMapping mapping = model.isPresent() ? mapping(model.get()) : select(params);
        if (mapping == null) {
            if (model.isEmpty() && "NotifyStatus".equals(method.value())) {
                // a partial status (only sys or wifi changed) cannot tell what the device is; its full status will
                return List.of(new Decoded.Ignored("NotifyStatus of a device whose model is not known yet"));
            }
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, model.isPresent()
                    ? "no Shelly mapping for the model " + model.get()
                    : "no Shelly mapping recognizes the components " + params.keys() + " of '" + prefix + "'");
        }
        Map<String, JsonObject> features = mapper.map(mapping.model(), mapping.rules(), params, null);
        JsonObject.Builder configuration = JsonObject.newBuilder().set(Decoded.ADDRESS, JsonValue.of(prefix));
        return List.of(new Decoded.Report(id, mapping.model(), configuration.build(), features, true));
    }

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        DeviceMapping mapping = mapping(device.model());
        String prefix = device.address();
        if (mapping == null || prefix == null) {
            return List.of();
        }
        FeatureModel feature = mapper.model(device.model()).map(m -> m.features().get(featureId)).orElse(null);
        Map<String, JsonObject> byMethod = new LinkedHashMap<>();
        for (CommandRule rule : mapping.commands()) {
            JsonValue v = rule.feature().equals(featureId) && rule.method() != null ? desired.getOrNull(rule.property()) : null;
            if (v != null) {
                PropertyModel p = feature == null ? null : feature.properties().get(rule.property());
                JsonObject params = byMethod.getOrDefault(rule.method(), JsonObject.of("id", JsonValue.of(0)));
                byMethod.put(rule.method(), params.set(JsonPointer.of(rule.target()), mapper.toDevice(rule, p, v)));
            }
        }
        List<Outbound> out = new ArrayList<>();
        byMethod.forEach((method, params) -> out.add(Outbound.of(prefix + "/rpc", Json.write(JsonObject.newBuilder()
                .set("id", JsonValue.of(requestIds.incrementAndGet()))
                .set("src", JsonValue.of(SOURCE))
                .set("method", JsonValue.of(method))
                .set("params", params)
                .build()))));
        return out;
    }

    private static String prefix(String topic, String suffix) throws RejectedException {
        String prefix = topic.substring(0, topic.length() - suffix.length());
        if (prefix.isEmpty() || prefix.contains("/")) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "no Shelly device id in " + topic);
        }
        return prefix;
    }

    private ThingId thingId(String prefix) throws RejectedException {
        try {
            return Topics.thingId(namespace, THING_PREFIX, prefix);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, e.getMessage());
        }
    }

    private DeviceMapping select(JsonObject params) {
        DeviceMapping best = null;
        for (DeviceMapping m : mappings) {
            if (m.matches(params, null) && (best == null || m.priority() > best.priority())) {
                best = m;
            }
        }
        return best;
    }

    private DeviceMapping mapping(String model) {
        for (DeviceMapping m : mappings) {
            if (m.model().equals(model)) {
                return m;
            }
        }
        return null;
    }
}
