package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.DeviceMapping;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Zigbee2MQTT (1.17+ API): device state as a JSON object on {@code <base>/<friendly_name>}, commands as
 * JSON on {@code <base>/<friendly_name>/set}, availability on {@code <base>/<friendly_name>/availability}
 * ({@code {"state":"online"}}, or the legacy bare {@code online}), and the bridge's device list on
 * {@code <base>/bridge/devices}, whose {@code exposes} decide each device's model. Friendly names may
 * contain {@code /}. Thing ids are {@code <namespace>:z2m-<friendly name>}.
 */
public final class Zigbee2MqttDialect implements Dialect {

    public static final String ID = "zigbee2mqtt";
    public static final String THING_PREFIX = "z2m";

    private final String base;
    private final String namespace;
    private final List<DeviceMapping> mappings;
    private final PropertyMapper mapper;
    private final List<String> subscriptions;

    public Zigbee2MqttDialect(String baseTopic, String namespace, List<DeviceMapping> mappings, PropertyMapper mapper) {
        this.base = baseTopic;
        this.namespace = namespace;
        this.mappings = List.copyOf(mappings);
        this.mapper = mapper;
        this.subscriptions = List.of(baseTopic + "/#");
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
        if (topic.length() <= base.length() + 1) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "no friendly name in " + topic);
        }
        String rest = topic.substring(base.length() + 1);
        if (rest.equals("bridge/devices")) {
            return discovery(payload, known);
        }
        if (rest.startsWith("bridge/")) {
            return List.of(new Decoded.Ignored("bridge message " + rest));
        }
        if (rest.isEmpty() || rest.endsWith("/")) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "no friendly name in " + topic);
        }
        if (rest.endsWith("/availability")) {
            return List.of(availability(thingId(rest.substring(0, rest.length() - "/availability".length())), payload));
        }
        if (rest.endsWith("/set") || rest.endsWith("/get") || rest.contains("/set/") || rest.contains("/get/")) {
            return List.of(new Decoded.Ignored("command " + rest));
        }
        ThingId id = thingId(rest);
        JsonObject state = JsonPayloads.object(payload);
        Optional<String> model = known.model(id);
        DeviceMapping mapping = model.isPresent() ? mapping(model.get()) : select(state);
        if (mapping == null) {
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, model.isPresent()
                    ? "no Zigbee2MQTT mapping for the model " + model.get()
                    : "no Zigbee2MQTT mapping recognizes the state of '" + rest + "' (keys " + state.keys() + ")");
        }
        Map<String, JsonObject> features = mapper.map(mapping.model(), mapping.rules(), state, null);
        return List.of(new Decoded.Report(id, mapping.model(), configuration(rest), features, true));
    }

    private Decoded availability(ThingId id, byte[] payload) throws RejectedException {
        String text = JsonPayloads.text(payload);
        String state = text;
        if (text.startsWith("{")) {
            JsonValue s = JsonPayloads.object(payload).getOrNull("state");
            state = s instanceof JsonString str ? str.value() : "";
        }
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "online" -> new Decoded.Availability(id, true);
            case "offline" -> new Decoded.Availability(id, false);
            default -> throw new RejectedException(RejectReason.OUT_OF_RANGE, "availability must be online or offline but was '" + text + "'");
        };
    }

    /** {@code bridge/devices}: every device with a definition whose exposes fit a mapping is announced. */
    private List<Decoded> discovery(byte[] payload, KnownDevices known) throws RejectedException {
        JsonValue v = JsonPayloads.parse(payload);
        if (!(v instanceof JsonArray devices)) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "bridge/devices must be a JSON array but was " + v.typeName());
        }
        List<Decoded> out = new ArrayList<>();
        for (JsonValue d : devices) {
            if (!(d instanceof JsonObject device) || !(device.getOrNull("friendly_name") instanceof JsonString name)
                    || "Coordinator".equals(string(device, "type")) || !(device.getOrNull("definition") instanceof JsonObject definition)) {
                continue;
            }
            JsonObject.Builder exposed = JsonObject.newBuilder();
            if (definition.getOrNull("exposes") instanceof JsonArray exposes) {
                collect(exposes, exposed);
            }
            ThingId id;
            try {
                id = thingId(name.value());
            } catch (RejectedException e) {
                continue;
            }
            DeviceMapping mapping = known.model(id).map(this::mapping).orElseGet(() -> select(exposed.build()));
            if (mapping == null) {
                out.add(new Decoded.Ignored("no mapping for " + name.value()));
                continue;
            }
            JsonObject.Builder info = JsonObject.newBuilder();
            String vendor = string(definition, "vendor");
            if (vendor != null && !vendor.isBlank()) {
                info.set("manufacturer", JsonValue.of(vendor));
            }
            String build = string(device, "software_build_id");
            if (build != null && !build.isBlank() && build.chars().allMatch(c -> c >= 0x20)) {
                info.set("firmwareVersion", JsonValue.of(build));
            }
            JsonObject deviceInfo = info.build();
            Map<String, JsonObject> features = deviceInfo.isEmpty() || !hasFeature(mapping.model(), "device")
                    ? Map.of() : Map.of("device", deviceInfo);
            out.add(new Decoded.Report(id, mapping.model(), configuration(name.value()), features, true, attributes(device, definition)));
        }
        return out;
    }

    /** The bridge's facts about a device as twin attributes: {@code {"zigbee":{"ieeeAddress","vendor","model","description"}}}. */
    private static JsonObject attributes(JsonObject device, JsonObject definition) {
        JsonObject.Builder zigbee = JsonObject.newBuilder();
        for (String[] k : new String[][] {{"ieeeAddress", string(device, "ieee_address")}, {"vendor", string(definition, "vendor")},
                {"model", string(definition, "model")}, {"description", string(definition, "description")}}) {
            if (k[1] != null && !k[1].isBlank() && k[1].length() <= 256) {
                zigbee.set(k[0], k[1]);
            }
        }
        JsonObject z = zigbee.build();
        return z.isEmpty() ? JsonObject.empty() : JsonObject.of("zigbee", z);
    }

    private boolean hasFeature(String model, String feature) {
        return mapper.model(model).map(m -> m.features().containsKey(feature)).orElse(false);
    }

    /** The property names a device exposes (nested composites such as a switch's {@code features} too). */
    private static void collect(JsonArray exposes, JsonObject.Builder out) {
        for (JsonValue e : exposes) {
            if (e instanceof JsonObject o) {
                String property = string(o, "property");
                if (property != null) {
                    out.set(property, JsonValue.of(true));
                }
                if (o.getOrNull("features") instanceof JsonArray nested) {
                    collect(nested, out);
                }
            }
        }
    }

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        DeviceMapping mapping = mapping(device.model());
        String address = device.address();
        if (mapping == null || address == null) {
            return List.of();
        }
        FeatureModel feature = mapper.model(device.model()).map(m -> m.features().get(featureId)).orElse(null);
        JsonObject command = JsonObject.empty();
        for (CommandRule rule : mapping.commands()) {
            JsonValue v = rule.feature().equals(featureId) ? desired.getOrNull(rule.property()) : null;
            if (v != null) {
                PropertyModel p = feature == null ? null : feature.properties().get(rule.property());
                command = command.set(JsonPointer.of(rule.target()), mapper.toDevice(rule, p, v));
            }
        }
        return command.isEmpty() ? List.of() : List.of(Outbound.of(base + "/" + address + "/set", Json.write(command)));
    }

    private DeviceMapping select(JsonObject payload) {
        for (DeviceMapping m : mappings) {
            if (m.matches(payload, null)) {
                return m;
            }
        }
        return null;
    }

    private DeviceMapping mapping(String model) {
        for (DeviceMapping m : mappings) {
            if (m.model().equals(model)) {
                return m;
            }
        }
        return null;
    }

    private ThingId thingId(String friendlyName) throws RejectedException {
        try {
            return Topics.thingId(namespace, THING_PREFIX, friendlyName);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, e.getMessage());
        }
    }

    private static JsonObject configuration(String friendlyName) {
        return JsonObject.newBuilder().set(Decoded.ADDRESS, JsonValue.of(friendlyName)).build();
    }

    private static String string(JsonObject o, String key) {
        return o.getOrNull(key) instanceof JsonString s ? s.value() : null;
    }
}
