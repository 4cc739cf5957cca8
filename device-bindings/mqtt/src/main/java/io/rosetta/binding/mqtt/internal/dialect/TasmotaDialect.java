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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasmota: telemetry on {@code tele/<topic>/SENSOR} (sensor objects named after the chip, {@code TempUnit}
 * C or F, {@code ENERGY} of metering plugs) and {@code tele/<topic>/STATE} ({@code POWER}, {@code Wifi}),
 * command results on {@code stat/<topic>/RESULT} and {@code stat/<topic>/POWER}, the last will on
 * {@code tele/<topic>/LWT} ({@code Online}/{@code Offline}), commands on {@code cmnd/<topic>/<Command>}.
 * The {@code FullTopic} is configurable as on the device ({@code %prefix%/%topic%/} by default).
 *
 * <p>A device's model is decided by its SENSOR message. A device that publishes only STATE (a relay
 * without sensors) is attached with the STATE mapping on its second STATE, because Tasmota publishes
 * STATE just before SENSOR in every telemetry period. Thing ids are {@code <namespace>:tasmota-<topic>}.
 */
public final class TasmotaDialect implements Dialect {

    public static final String ID = "tasmota";
    public static final String THING_PREFIX = "tasmota";
    public static final String DEFAULT_FULL_TOPIC = "%prefix%/%topic%/";
    static final String COMMAND_TOPIC = "commandTopic";
    static final int MAX_WAITING = 10_000;

    private static final Set<String> IGNORED = Set.of("INFO1", "INFO2", "INFO3", "UPTIME", "MARGINS", "LOGGING", "UPGRADE", "HASS_STATE");

    private final String namespace;
    private final List<DeviceMapping> mappings;
    private final PropertyMapper mapper;
    private final Pattern topicPattern;
    private final int prefixGroup;
    private final int topicGroup;
    private final List<String> subscriptions;
    /** Devices seen with a STATE but no SENSOR yet (LRU, bounded). */
    private final Map<ThingId, Boolean> waiting = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ThingId, Boolean> eldest) {
            return size() > MAX_WAITING;
        }
    };

    public TasmotaDialect(String fullTopic, String namespace, List<DeviceMapping> mappings, PropertyMapper mapper) {
        String ft = fullTopic == null || fullTopic.isBlank() ? DEFAULT_FULL_TOPIC : fullTopic.trim();
        if (!ft.endsWith("/")) {
            ft = ft + "/";
        }
        if (!ft.contains("%prefix%") || !ft.contains("%topic%")) {
            throw new IllegalArgumentException("tasmotaFullTopic must contain %prefix% and %topic% but was '" + fullTopic + "'");
        }
        this.namespace = namespace;
        this.mappings = List.copyOf(mappings);
        this.mapper = mapper;
        StringBuilder regex = new StringBuilder("^");
        Matcher m = Pattern.compile("%(\\w+)%").matcher(ft);
        int last = 0;
        int group = 0;
        int prefix = -1;
        int topic = -1;
        while (m.find()) {
            regex.append(Pattern.quote(ft.substring(last, m.start())));
            regex.append("([^/]+)");
            group++;
            if ("prefix".equals(m.group(1))) {
                prefix = group;
            } else if ("topic".equals(m.group(1))) {
                topic = group;
            }
            last = m.end();
        }
        regex.append(Pattern.quote(ft.substring(last))).append("([^/]+)$");
        this.topicPattern = Pattern.compile(regex.toString());
        this.prefixGroup = prefix;
        this.topicGroup = topic;
        List<String> subs = new ArrayList<>();
        for (String p : List.of("tele", "stat")) {
            subs.add(ft.replace("%prefix%", p).replaceAll("%\\w+%", "+") + "+");
        }
        this.subscriptions = List.copyOf(subs);
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
        Matcher m = topicPattern.matcher(topic);
        if (!m.matches()) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "not a Tasmota topic: " + topic);
        }
        String prefix = m.group(prefixGroup);
        String deviceTopic = m.group(topicGroup);
        String kind = m.group(m.groupCount());
        ThingId id;
        try {
            id = Topics.thingId(namespace, THING_PREFIX, deviceTopic);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, e.getMessage());
        }
        String commandTopic = topic.substring(0, m.start(prefixGroup)) + "cmnd" + topic.substring(m.end(prefixGroup), m.start(m.groupCount()));
        JsonObject configuration = JsonObject.newBuilder()
                .set(Decoded.ADDRESS, JsonValue.of(deviceTopic))
                .set(COMMAND_TOPIC, JsonValue.of(commandTopic))
                .build();
        if ("tele".equals(prefix)) {
            switch (kind) {
                case "LWT" -> {
                    return List.of(lastWill(id, payload));
                }
                case "SENSOR" -> {
                    return report(id, configuration, JsonPayloads.object(payload), "SENSOR", known);
                }
                case "STATE" -> {
                    return report(id, configuration, JsonPayloads.object(payload), "STATE", known);
                }
                default -> {
                    if (IGNORED.contains(kind)) {
                        return List.of(new Decoded.Ignored(kind));
                    }
                }
            }
        } else if ("stat".equals(prefix)) {
            if ("RESULT".equals(kind)) {
                return report(id, configuration, JsonPayloads.object(payload), "RESULT", known);
            }
            if (kind.matches("POWER\\d?")) {
                JsonObject result = JsonObject.of(kind, JsonValue.of(JsonPayloads.text(payload)));
                return report(id, configuration, result, "RESULT", known);
            }
            if (kind.startsWith("STATUS") || IGNORED.contains(kind)) {
                return List.of(new Decoded.Ignored(kind));
            }
        }
        throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "unknown Tasmota message " + prefix + "/" + kind + " on " + topic);
    }

    private List<Decoded> report(ThingId id, JsonObject configuration, JsonObject payload, String kind, KnownDevices known)
            throws RejectedException {
        Optional<String> model = known.model(id);
        if (model.isPresent()) {
            DeviceMapping mapping = mapping(model.get());
            if (mapping == null) {
                throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Tasmota mapping for the model " + model.get());
            }
            forget(id);
            return List.of(new Decoded.Report(id, mapping.model(), configuration,
                    mapper.map(mapping.model(), mapping.rules(), payload, kind), true));
        }
        if ("RESULT".equals(kind)) {
            return List.of(new Decoded.Ignored("a command result of a device whose model is not known yet"));
        }
        DeviceMapping mapping = select(payload, kind);
        if (mapping == null) {
            if ("SENSOR".equals(kind)) {
                throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Tasmota mapping recognizes the sensors " + payload.keys());
            }
            return List.of(new Decoded.Ignored(kind + " of a device whose model is not known yet"));
        }
        boolean attach = true;
        if (!"SENSOR".equals(kind)) {
            synchronized (waiting) {
                attach = waiting.put(id, Boolean.TRUE) != null;
                if (attach) {
                    waiting.remove(id);
                }
            }
        } else {
            forget(id);
        }
        return List.of(new Decoded.Report(id, mapping.model(), configuration,
                mapper.map(mapping.model(), mapping.rules(), payload, kind), attach));
    }

    private void forget(ThingId id) {
        synchronized (waiting) {
            waiting.remove(id);
        }
    }

    private static Decoded lastWill(ThingId id, byte[] payload) throws RejectedException {
        String text = JsonPayloads.text(payload);
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "online" -> new Decoded.Availability(id, true);
            case "offline" -> new Decoded.Availability(id, false);
            default -> throw new RejectedException(RejectReason.OUT_OF_RANGE, "LWT must be Online or Offline but was '" + text + "'");
        };
    }

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        DeviceMapping mapping = mapping(device.model());
        String commandTopic = device.text(COMMAND_TOPIC);
        if (mapping == null || commandTopic == null) {
            return List.of();
        }
        FeatureModel feature = mapper.model(device.model()).map(m -> m.features().get(featureId)).orElse(null);
        List<Outbound> out = new ArrayList<>();
        for (CommandRule rule : mapping.commands()) {
            JsonValue v = rule.feature().equals(featureId) ? desired.getOrNull(rule.property()) : null;
            if (v != null) {
                PropertyModel p = feature == null ? null : feature.properties().get(rule.property());
                JsonValue deviceValue = mapper.toDevice(rule, p, v);
                out.add(Outbound.of(commandTopic + rule.target(), deviceValue instanceof JsonString s ? s.value() : deviceValue.toString()));
            }
        }
        return out;
    }

    private DeviceMapping select(JsonObject payload, String kind) {
        for (DeviceMapping m : mappings) {
            if (m.matches(payload, kind)) {
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
}
