package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.DeviceMapping;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Home Assistant MQTT discovery: devices announce their entities in retained JSON on
 * {@code <prefix>/<component>/[<node_id>/]<object_id>/config} (full or abbreviated keys: {@code state_topic}
 * or {@code stat_t}, {@code device_class}/{@code dev_cla}, {@code unit_of_measurement}/{@code unit_of_meas},
 * {@code value_template}/{@code val_tpl}, {@code ~} for a common topic base, {@code device}/{@code dev} with
 * {@code identifiers}/{@code ids}); an empty config removes the entity. The entities of one device
 * (same first identifier) form one twin, {@code <namespace>:ha-<identifier>}.
 *
 * <p>Components read: {@code sensor}, {@code binary_sensor}, {@code switch}. Each state message becomes
 * {@code {"<component>":{"<device_class>":value,"<device_class>$unit":"<unit_of_measurement>"}}} for the
 * mapping ({@code switch} uses the key {@code on}, true or false after {@code state_on}/{@code payload_on}), so
 * mappings choose the model by device classes and convert units with {@code unitFrom}. Value templates
 * are evaluated by {@link HaTemplate}; an entity with another form of template is refused. State and availability topics are subscribed as the configs name them:
 * {@code onSubscriptionsChanged} is called when the set changes. A config after which the device's entities fit a
 * mapping announces the device ({@link Decoded.Announcement}, with the config's {@code device} block as attributes),
 * so that it can wait in the inbox before its first state arrives.
 */
public final class HomeAssistantDialect implements Dialect {

    public static final String ID = "homeassistant";
    public static final String THING_PREFIX = "ha";
    public static final String DEFAULT_PREFIX = "homeassistant";
    public static final String UNIT_SUFFIX = "$unit";
    static final int MAX_ENTITIES = 10_000;

    private static final Set<String> COMPONENTS = Set.of("sensor", "binary_sensor", "switch");

    private final String prefix;
    private final String namespace;
    private final List<DeviceMapping> mappings;
    private final PropertyMapper mapper;
    private final Runnable onSubscriptionsChanged;
    private final String configFilter;
    private final String nodeConfigFilter;
    /** Entities by config topic (insertion order, bounded). */
    private final Map<String, Entity> entities = new LinkedHashMap<>();

    public HomeAssistantDialect(String discoveryPrefix, String namespace, List<DeviceMapping> mappings, PropertyMapper mapper,
                                Runnable onSubscriptionsChanged) {
        this.prefix = discoveryPrefix == null || discoveryPrefix.isBlank() ? DEFAULT_PREFIX : discoveryPrefix.trim();
        this.configFilter = prefix + "/+/+/config";
        this.nodeConfigFilter = prefix + "/+/+/+/config";
        this.namespace = namespace;
        this.mappings = List.copyOf(mappings);
        this.mapper = mapper;
        this.onSubscriptionsChanged = onSubscriptionsChanged;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> subscriptions() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        out.add(configFilter);
        out.add(nodeConfigFilter);
        synchronized (entities) {
            for (Entity e : entities.values()) {
                out.add(e.stateTopic);
                if (e.availabilityTopic != null) {
                    out.add(e.availabilityTopic);
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean claims(String topic) {
        if (Topics.matches(configFilter, topic) || Topics.matches(nodeConfigFilter, topic)) {
            return true;
        }
        synchronized (entities) {
            for (Entity e : entities.values()) {
                if (topic.equals(e.stateTopic) || topic.equals(e.availabilityTopic)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public List<Decoded> decode(String topic, byte[] payload, KnownDevices known) throws RejectedException {
        if (topic.startsWith(prefix + "/") && topic.endsWith("/config")) {
            return config(topic, payload);
        }
        List<Entity> states = new ArrayList<>();
        List<Entity> availability = new ArrayList<>();
        synchronized (entities) {
            for (Entity e : entities.values()) {
                if (topic.equals(e.stateTopic)) {
                    states.add(e);
                }
                if (topic.equals(e.availabilityTopic)) {
                    availability.add(e);
                }
            }
        }
        if (states.isEmpty() && availability.isEmpty()) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "no Home Assistant entity has the state topic " + topic);
        }
        String text = JsonPayloads.text(payload);
        List<Decoded> out = new ArrayList<>();
        Set<ThingId> seen = new LinkedHashSet<>();
        for (Entity e : availability) {
            if (seen.add(e.thingId)) {
                JsonValue rendered = e.availabilityTemplate == null ? JsonValue.of(text) : e.availabilityTemplate.evaluate(text, payload);
                String state = rendered == null ? "" : HaTemplate.text(rendered);
                if (e.payloadAvailable.equals(state)) {
                    out.add(new Decoded.Availability(e.thingId, true));
                } else if (e.payloadNotAvailable.equals(state)) {
                    out.add(new Decoded.Availability(e.thingId, false));
                } else {
                    throw new RejectedException(RejectReason.OUT_OF_RANGE, "availability must be '" + e.payloadAvailable + "' or '"
                            + e.payloadNotAvailable + "' but was '" + state + "'");
                }
            }
        }
        // one report per device: the entities of a device that share a state topic (a JSON state) are mapped together
        Map<ThingId, JsonObject> values = new LinkedHashMap<>();
        Map<ThingId, String> keys = new LinkedHashMap<>();
        Map<ThingId, JsonObject> attributes = new LinkedHashMap<>();
        for (Entity e : states) {
            JsonValue v = e.value(text, payload);
            if (v == null) {
                continue;
            }
            JsonObject o = values.getOrDefault(e.thingId, JsonObject.empty());
            JsonObject component = o.getOrNull(e.component) instanceof JsonObject c ? c : JsonObject.empty();
            component = component.set(e.key(), v);
            if (e.unit != null) {
                component = component.set(e.key() + UNIT_SUFFIX, JsonValue.of(e.unit));
            }
            values.put(e.thingId, o.set(e.component, component));
            keys.put(e.thingId, e.deviceKey);
            attributes.merge(e.thingId, e.attributes, JsonObject::setAll);
        }
        for (Map.Entry<ThingId, JsonObject> d : values.entrySet()) {
            DeviceMapping mapping = mapping(d.getKey(), known);
            out.add(new Decoded.Report(d.getKey(), mapping.model(), JsonObject.of(Decoded.ADDRESS, JsonValue.of(keys.get(d.getKey()))),
                    mapper.map(mapping.model(), mapping.rules(), d.getValue(), null), true, attributes.get(d.getKey())));
        }
        if (out.isEmpty()) {
            out.add(new Decoded.Ignored("state '" + text + "' carries no value"));
        }
        return out;
    }

    private List<Decoded> config(String topic, byte[] payload) throws RejectedException {
        String[] t = topic.substring(prefix.length() + 1).split("/", -1);
        String component = t[0];
        boolean changed;
        if (payload.length == 0) {
            synchronized (entities) {
                changed = entities.remove(topic) != null;
            }
            if (changed) {
                onSubscriptionsChanged.run();
            }
            return List.of(new Decoded.Ignored("entity removed: " + topic));
        }
        if (!COMPONENTS.contains(component)) {
            return List.of(new Decoded.Ignored("component " + component + " is not read"));
        }
        JsonObject c = JsonPayloads.object(payload);
        String base = text(c, "~");
        String stateTopic = topic(text(c, "state_topic", "stat_t"), base);
        if (stateTopic == null) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a " + component + " config needs a state_topic");
        }
        if (stateTopic.contains("+") || stateTopic.contains("#") || stateTopic.isEmpty()) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "state_topic must be a topic without wildcards but was '" + stateTopic + "'");
        }
        String deviceKey = deviceKey(c, t);
        ThingId thingId;
        try {
            thingId = Topics.thingId(namespace, THING_PREFIX, deviceKey);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        }
        HaTemplate template = template(text(c, "value_template", "val_tpl"));
        String deviceClass = text(c, "device_class", "dev_cla");
        String on = text(c, "state_on", "stat_on");
        String off = text(c, "state_off", "stat_off");
        String payloadOn = Optional.ofNullable(text(c, "payload_on", "pl_on")).orElse("ON");
        String payloadOff = Optional.ofNullable(text(c, "payload_off", "pl_off")).orElse("OFF");
        String availabilityTopic = topic(text(c, "availability_topic", "avty_t"), base);
        String availabilityTemplate = text(c, "availability_template", "avty_tpl");
        if (availabilityTopic == null && c.getOrNull(c.contains("availability") ? "availability" : "avty") instanceof JsonArray a
                && !a.isEmpty() && a.get(0) instanceof JsonObject first) {
            availabilityTopic = topic(text(first, "topic", "t"), base);
            availabilityTemplate = text(first, "value_template", "val_tpl");
        }

        JsonObject attributes = attributes(c);
        Entity e = new Entity(thingId, deviceKey, component, deviceClass, text(c, "unit_of_measurement", "unit_of_meas"), stateTopic,
                template, on != null ? on : payloadOn, off != null ? off : payloadOff,
                payloadOn, payloadOff, topic(text(c, "command_topic", "cmd_t"), base), availabilityTopic,
                Optional.ofNullable(text(c, "payload_available", "pl_avail")).orElse("online"),
                Optional.ofNullable(text(c, "payload_not_available", "pl_not_avail")).orElse("offline"),
                template(availabilityTemplate), attributes);
        synchronized (entities) {
            Entity old = entities.remove(topic);
            if (old == null && entities.size() >= MAX_ENTITIES) {
                throw new RejectedException(RejectReason.OUT_OF_RANGE, "more than " + MAX_ENTITIES + " Home Assistant entities");
            }
            entities.put(topic, e);
            changed = old == null || !old.stateTopic.equals(e.stateTopic) || !java.util.Objects.equals(old.availabilityTopic, e.availabilityTopic);
        }
        if (changed) {
            onSubscriptionsChanged.run();
        }
        DeviceMapping mapping = select(thingId);
        if (mapping == null) {
            return List.of(new Decoded.Ignored("entity " + component + " of " + deviceKey));
        }
        return List.of(new Decoded.Announcement(thingId, mapping.model(), JsonObject.of(Decoded.ADDRESS, JsonValue.of(deviceKey)), attributes));
    }

    /** The config's {@code device} block as twin attributes: manufacturer, model, name, firmware version. */
    private static JsonObject attributes(JsonObject c) {
        JsonValue dev = c.contains("device") ? c.getOrNull("device") : c.getOrNull("dev");
        JsonObject.Builder b = JsonObject.newBuilder();
        if (dev instanceof JsonObject d) {
            attribute(b, "manufacturer", text(d, "manufacturer", "mf"));
            attribute(b, "model", text(d, "model", "mdl"));
            attribute(b, "name", text(d, "name"));
            attribute(b, "firmwareVersion", text(d, "sw_version", "sw"));
        }
        return b.build();
    }

    private static void attribute(JsonObject.Builder b, String key, String value) {
        if (value != null && !value.isBlank() && value.length() <= 256) {
            b.set(key, value);
        }
    }

    private DeviceMapping mapping(ThingId id, KnownDevices known) throws RejectedException {
        Optional<String> model = known.model(id);
        if (model.isPresent()) {
            for (DeviceMapping m : mappings) {
                if (m.model().equals(model.get())) {
                    return m;
                }
            }
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Home Assistant mapping for the model " + model.get());
        }
        DeviceMapping selected = select(id);
        if (selected == null) {
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Home Assistant mapping recognizes the entities " + shape(id));
        }
        return selected;
    }

    /** The mapping the device's discovered entities fit, {@code null} when none does. */
    private DeviceMapping select(ThingId id) {
        JsonObject shape = shape(id);
        for (DeviceMapping m : mappings) {
            if (m.matches(shape, null)) {
                return m;
            }
        }
        return null;
    }

    /** {@code {"<component>":{"<key>":true}}} of the device's entities. */
    private JsonObject shape(ThingId id) {
        JsonObject shape = JsonObject.empty();
        synchronized (entities) {
            for (Entity e : entities.values()) {
                if (e.thingId.equals(id)) {
                    JsonObject component = shape.getOrNull(e.component) instanceof JsonObject c ? c : JsonObject.empty();
                    shape = shape.set(e.component, component.set(e.key(), JsonValue.of(true)));
                }
            }
        }
        return shape;
    }

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        DeviceMapping mapping = null;
        for (DeviceMapping m : mappings) {
            if (m.model().equals(device.model())) {
                mapping = m;
            }
        }
        if (mapping == null) {
            return List.of();
        }
        List<Outbound> out = new ArrayList<>();
        for (CommandRule rule : mapping.commands()) {
            JsonValue v = rule.feature().equals(featureId) ? desired.getOrNull(rule.property()) : null;
            String[] target = rule.target().substring(1).split("/");
            if (v == null || target.length != 2) {
                continue;
            }
            synchronized (entities) {
                for (Entity e : entities.values()) {
                    if (e.thingId.equals(device.thingId()) && e.component.equals(target[0]) && e.key().equals(target[1]) && e.commandTopic != null) {
                        if (!(v instanceof JsonBoolean b)) {
                            throw new RejectedException(RejectReason.WRONG_TYPE, v + " is not a boolean");
                        }
                        out.add(Outbound.of(e.commandTopic, b.value() ? e.payloadOn : e.payloadOff));
                    }
                }
            }
        }
        return out;
    }

    private static HaTemplate template(String template) throws RejectedException {
        try {
            return template == null ? null : HaTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, e.getMessage());
        }
    }

    private static String deviceKey(JsonObject c, String[] topic) {
        JsonValue dev = c.contains("device") ? c.getOrNull("device") : c.getOrNull("dev");
        if (dev instanceof JsonObject d) {
            JsonValue ids = d.contains("identifiers") ? d.getOrNull("identifiers") : d.getOrNull("ids");
            if (ids instanceof JsonString s && !s.value().isBlank()) {
                return s.value();
            }
            if (ids instanceof JsonArray a && !a.isEmpty() && a.get(0) instanceof JsonString s && !s.value().isBlank()) {
                return s.value();
            }
        }
        // no device: the entity is a device of its own, named by node id (if any) and object id
        return topic.length == 4 ? topic[1] + "_" + topic[2] : topic[1];
    }

    private static String topic(String t, String base) {
        if (t == null) {
            return null;
        }
        if (base != null) {
            if (t.startsWith("~")) {
                return base + t.substring(1);
            }
            if (t.endsWith("~")) {
                return t.substring(0, t.length() - 1) + base;
            }
        }
        return t;
    }

    private static String text(JsonObject o, String... keys) {
        for (String k : keys) {
            if (o.getOrNull(k) instanceof JsonString s) {
                return s.value();
            }
        }
        return null;
    }

    /** One discovered entity. */
    private record Entity(ThingId thingId, String deviceKey, String component, String deviceClass, String unit, String stateTopic, HaTemplate template,
                          String stateOn, String stateOff, String payloadOn, String payloadOff, String commandTopic,
                          String availabilityTopic, String payloadAvailable, String payloadNotAvailable, HaTemplate availabilityTemplate,
                          JsonObject attributes) {

        /** The member of the component's object: the device class, {@code on} for switches and binary sensors without one. */
        String key() {
            if ("switch".equals(component)) {
                return "on";
            }
            return deviceClass != null ? deviceClass : "value";
        }

        /** The state's value, {@code null} for HA's {@code unknown}/{@code unavailable}. */
        JsonValue value(String text, byte[] payload) throws RejectedException {
            JsonValue rendered = template == null ? JsonValue.of(text) : template.evaluate(text, payload);
            if (rendered == null) {
                return null; // this state does not carry the entity's value (a partial JSON state)
            }
            String v = HaTemplate.text(rendered);
            if ("unknown".equals(v) || "unavailable".equals(v) || v.isEmpty()) {
                return null;
            }
            if ("switch".equals(component) || "binary_sensor".equals(component)) {
                if (v.equals(stateOn) || rendered instanceof JsonBoolean b && b.value()) {
                    return JsonBoolean.TRUE;
                }
                if (v.equals(stateOff) || rendered instanceof JsonBoolean b && !b.value()) {
                    return JsonBoolean.FALSE;
                }
                throw new RejectedException(RejectReason.OUT_OF_RANGE, "state must be '" + stateOn + "' or '" + stateOff + "' but was '" + v + "'");
            }
            if (rendered instanceof JsonNumber || rendered instanceof JsonBoolean) {
                return rendered;
            }
            try {
                BigDecimal d = new BigDecimal(v.trim());
                return JsonNumber.of(d.doubleValue());
            } catch (NumberFormatException e) {
                return JsonValue.of(v); // a text state: the model decides whether it fits
            }
        }
    }
}
