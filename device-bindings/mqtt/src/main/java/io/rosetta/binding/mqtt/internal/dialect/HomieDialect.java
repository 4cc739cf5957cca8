package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.DeviceMapping;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Homie 4 (homieiot.github.io): a device describes itself in retained attribute topics
 * ({@code homie/<device>/$state}, {@code $nodes}; {@code homie/<device>/<node>/$properties};
 * {@code homie/<device>/<node>/<property>/$datatype}, {@code $unit}, {@code $settable}) and publishes each
 * property's value as plain text on {@code homie/<device>/<node>/<property>}; settable properties take
 * commands on {@code …/<property>/set}.
 *
 * <p>The dialect keeps each device's description (bounded) and, once it is complete (every node of
 * {@code $nodes} has its {@code $properties}, every property its {@code $datatype}), chooses the model
 * from the described shape and reports the values seen so far. Values are parsed by their
 * {@code $datatype} and handed to the mapping as {@code {"<node>":{"<property>":value,"<property>$unit":"°C"}}},
 * so that a mapping can read the unit with {@code unitFrom}. {@code $state} {@code ready}, {@code sleeping}
 * and {@code alert} mean online, {@code disconnected} and {@code lost} offline. Thing ids are
 * {@code <namespace>:homie-<device>}.
 */
public final class HomieDialect implements Dialect {

    public static final String ID = "homie";
    public static final String THING_PREFIX = "homie";
    public static final String DEFAULT_BASE = "homie";
    static final int MAX_DEVICES = 10_000;
    static final int MAX_NODES = 64;
    static final int MAX_PROPERTIES = 64;
    /** Suffix of the member that carries a property's {@code $unit} next to its value. */
    public static final String UNIT_SUFFIX = "$unit";

    private static final Pattern TOPIC_ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final String base;
    private final String namespace;
    private final List<DeviceMapping> mappings;
    private final PropertyMapper mapper;
    private final List<String> subscriptions;
    private final Map<String, HomieDevice> devices = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HomieDevice> eldest) {
            return size() > MAX_DEVICES;
        }
    };

    public HomieDialect(String baseTopic, String namespace, List<DeviceMapping> mappings, PropertyMapper mapper) {
        this.base = baseTopic == null || baseTopic.isBlank() ? DEFAULT_BASE : baseTopic.trim();
        this.subscriptions = List.of(base + "/#");
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
        return subscriptions;
    }

    @Override
    public List<Decoded> decode(String topic, byte[] payload, KnownDevices known) throws RejectedException {
        String[] t = topic.substring(Math.min(topic.length(), base.length() + 1)).split("/", -1);
        if (!topic.startsWith(base + "/") || t.length < 2 || !TOPIC_ID.matcher(t[0]).matches()) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "not a Homie device topic: " + topic);
        }
        String deviceId = t[0];
        ThingId id = thingId(deviceId);
        String text = JsonPayloads.text(payload);
        synchronized (devices) {
            HomieDevice device = devices.computeIfAbsent(deviceId, k -> new HomieDevice());
            boolean complete = device.complete();
            if (t.length == 2) {
                switch (t[1]) {
                    case "$state" -> {
                        return List.of(state(id, text));
                    }
                    case "$nodes" -> device.nodes(ids(text, MAX_NODES, topic));
                    default -> {
                        return List.of(new Decoded.Ignored("device attribute " + t[1]));
                    }
                }
            } else if (t.length == 3 && "$properties".equals(t[2])) {
                device.properties(node(t[1], topic), ids(text, MAX_PROPERTIES, topic));
            } else if (t.length == 3 && t[2].startsWith("$")) {
                return List.of(new Decoded.Ignored("node attribute " + t[2]));
            } else if (t.length == 3) {
                HomieDevice.Property p = device.property(node(t[1], topic), property(t[2], topic));
                if (p == null) {
                    return List.of(new Decoded.Ignored("value of a property that " + deviceId + " does not list"));
                }
                if (!complete) {
                    p.raw = text;
                    return List.of(new Decoded.Ignored("value of " + deviceId + " before its description is complete"));
                }
                JsonObject values = JsonObject.of(t[1], p.value(t[2], text));
                DeviceMapping mapping = mapping(device, id, known);
                p.raw = text;
                return List.of(new Decoded.Report(id, mapping.model(), configuration(deviceId), mapper.map(mapping.model(), mapping.rules(),
                        values, null), true));
            } else if (t.length == 4 && "set".equals(t[3])) {
                return List.of(new Decoded.Ignored("command " + topic));
            } else if (t.length == 4 && t[3].startsWith("$")) {
                HomieDevice.Property p = device.property(node(t[1], topic), property(t[2], topic));
                if (p == null) {
                    return List.of(new Decoded.Ignored("attribute of a property that " + deviceId + " does not list"));
                }
                switch (t[3]) {
                    case "$datatype" -> p.datatype(text, topic);
                    case "$unit" -> p.unit = text;
                    case "$settable" -> p.settable = "true".equals(text);
                    default -> {
                        return List.of(new Decoded.Ignored("property attribute " + t[3]));
                    }
                }
            } else {
                throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "not a Homie 4 topic: " + topic);
            }
            if (complete || !device.complete()) {
                return List.of(new Decoded.Ignored("description of " + deviceId));
            }
            // the description just became complete: choose the model, report what is known
            DeviceMapping mapping = mapping(device, id, known);
            JsonObject values = device.values();
            return List.of(new Decoded.Report(id, mapping.model(), configuration(deviceId), mapper.map(mapping.model(), mapping.rules(),
                    values, null), true));
        }
    }

    private DeviceMapping mapping(HomieDevice device, ThingId id, KnownDevices known) throws RejectedException {
        Optional<String> model = known.model(id);
        if (model.isPresent()) {
            for (DeviceMapping m : mappings) {
                if (m.model().equals(model.get())) {
                    return m;
                }
            }
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Homie mapping for the model " + model.get());
        }
        JsonObject shape = device.shape();
        for (DeviceMapping m : mappings) {
            if (m.matches(shape, null)) {
                return m;
            }
        }
        throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Homie mapping recognizes the nodes " + shape);
    }

    private static Decoded state(ThingId id, String state) throws RejectedException {
        return switch (state) {
            case "ready", "sleeping", "alert" -> new Decoded.Availability(id, true);
            case "disconnected", "lost" -> new Decoded.Availability(id, false);
            case "init" -> new Decoded.Ignored("$state init");
            default -> throw new RejectedException(RejectReason.OUT_OF_RANGE,
                    "$state must be init, ready, disconnected, sleeping, lost or alert but was '" + state + "'");
        };
    }

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        String deviceId = device.address();
        DeviceMapping mapping = null;
        for (DeviceMapping m : mappings) {
            if (m.model().equals(device.model())) {
                mapping = m;
            }
        }
        if (mapping == null || deviceId == null) {
            return List.of();
        }
        FeatureModel feature = mapper.model(device.model()).map(m -> m.features().get(featureId)).orElse(null);
        List<Outbound> out = new ArrayList<>();
        synchronized (devices) {
            HomieDevice d = devices.get(deviceId);
            for (CommandRule rule : mapping.commands()) {
                JsonValue v = rule.feature().equals(featureId) ? desired.getOrNull(rule.property()) : null;
                String[] target = rule.target().substring(1).split("/");
                String node = d == null || target.length != 2 ? null : d.settableNode(target[0], target[1]);
                if (v != null && node != null) {
                    PropertyModel p = feature == null ? null : feature.properties().get(rule.property());
                    JsonValue value = mapper.toDevice(rule, p, v);
                    out.add(Outbound.of(base + "/" + deviceId + "/" + node + "/" + target[1] + "/set",
                            value instanceof JsonString s ? s.value() : value.toString()));
                }
            }
        }
        return out;
    }

    private ThingId thingId(String deviceId) throws RejectedException {
        try {
            return Topics.thingId(namespace, THING_PREFIX, deviceId);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, e.getMessage());
        }
    }

    private static JsonObject configuration(String deviceId) {
        return JsonObject.of(Decoded.ADDRESS, JsonValue.of(deviceId));
    }

    private static String node(String id, String topic) throws RejectedException {
        if (!TOPIC_ID.matcher(id).matches()) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "'" + id + "' is not a Homie node id in " + topic);
        }
        return id;
    }

    private static String property(String id, String topic) throws RejectedException {
        if (!TOPIC_ID.matcher(id).matches()) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "'" + id + "' is not a Homie property id in " + topic);
        }
        return id;
    }

    /** A comma-separated list of Homie ids ({@code $nodes}, {@code $properties}). */
    private static List<String> ids(String text, int max, String topic) throws RejectedException {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String s : text.split(",", -1)) {
            String id = s.trim();
            if (!TOPIC_ID.matcher(id).matches()) {
                throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "'" + id + "' is not a Homie id in " + topic);
            }
            out.add(id);
        }
        if (out.size() > max) {
            throw new RejectedException(RejectReason.OUT_OF_RANGE, topic + " lists " + out.size() + " ids, more than " + max);
        }
        return out;
    }
}
