package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugMetrics.Definitions;
import io.rosetta.binding.mqtt.internal.dialect.SparkplugMetrics.MetricDef;
import io.rosetta.binding.mqtt.internal.mapping.CommandRule;
import io.rosetta.binding.mqtt.internal.mapping.DeviceMapping;
import io.rosetta.binding.mqtt.internal.mapping.PropertyMapper;
import io.rosetta.binding.mqtt.internal.mapping.Sources;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.tahu.SparkplugParsingException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.MessageType;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sparkplug B (Eclipse Sparkplug 3.0) as a host application reads it, with Eclipse Tahu's payload
 * decoder and encoder: {@code spBv1.0/<group>/NBIRTH|NDATA|NDEATH|NCMD/<edge node>} and
 * {@code spBv1.0/<group>/DBIRTH|DDATA|DDEATH|DCMD/<edge node>/<device>}.
 *
 * <ul>
 * <li>A BIRTH defines the metrics of an edge node or device (names, aliases, data types, {@code engUnit});
 *     later DATA messages name metrics by alias. A DATA message of a node or device whose BIRTH was not
 *     seen, or with an alias its BIRTH did not define, is refused ({@code NO_BIRTH}, {@code UNKNOWN_ALIAS}).</li>
 * <li>Every message of an edge node but NDEATH carries a sequence number 0–255, one more than the previous
 *     (after 255 comes 0). A gap is counted ({@code sparkplug.sequenceGaps}) and, as for a DATA message
 *     before its BIRTH, a rebirth is requested: an NCMD {@code Node Control/Rebirth = true} (at most one per
 *     edge node and {@code rebirthInterval}, counted as {@code sparkplug.rebirthRequests}).</li>
 * <li>An NDEATH whose {@code bdSeq} is the one of the node's NBIRTH takes the node and its devices offline;
 *     one of an earlier session (another bdSeq) is ignored and counted ({@code sparkplug.staleDeaths}). A DDEATH
 *     takes its device offline; the next BIRTH brings it back.</li>
 * <li>Devices (and edge nodes whose own metrics fit a mapping) become twins {@code <namespace>:spb-<group>:<edge>[:<device>]}.
 *     The mapping files of the dialect choose the model by the BIRTH's metric names and read the values as
 *     {@code {"Sensors":{"Temperature":21.5,"Temperature$unit":"°C"}}} (metric names split at {@code /}, the
 *     {@code engUnit} property next to the value).</li>
 * <li>Desired properties go to the device as a DCMD (NCMD for an edge node's twin) writing the metric the
 *     mapping's command names, in the data type its BIRTH declared, at QoS 0 as the specification requires.</li>
 * </ul>
 * STATE messages of host applications ({@code spBv1.0/STATE/<host id>}) are known and ignored; the broker
 * connection publishes this host's own STATE when it is configured as a primary host.
 */
public final class SparkplugDialect implements Dialect {

    public static final String ID = "sparkplug";
    public static final String NAMESPACE = "spBv1.0";
    public static final String THING_PREFIX = "spb";
    public static final String REBIRTH = "Node Control/Rebirth";
    public static final String BD_SEQ = "bdSeq";
    static final int MAX_NODES = 10_000;

    /** Event counters ({@code sparkplug.<event>}). */
    public static final String BIRTHS = "births";
    public static final String DEATHS = "deaths";
    public static final String STALE_DEATHS = "staleDeaths";
    public static final String SEQUENCE_GAPS = "sequenceGaps";
    public static final String REBIRTH_REQUESTS = "rebirthRequests";

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugDialect.class);

    private final List<String> groups;
    private final String namespace;
    private final List<DeviceMapping> mappings;
    private final PropertyMapper mapper;
    private final long rebirthIntervalMillis;
    private final LongSupplier clock;
    private final Consumer<Outbound> publisher;
    private final Consumer<String> events;
    /** Edge nodes by {@code group/edge}, least recently used first; guarded by itself. */
    private final Map<String, SparkplugNode> nodes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SparkplugNode> eldest) {
            return size() > MAX_NODES;
        }
    };
    /** When a rebirth was last requested, by {@code group/edge}; guarded by {@link #nodes}. */
    private final Map<String, Long> rebirths = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_NODES;
        }
    };

    /**
     * @param groups    group ids to subscribe to; {@code *} (or empty) for every group
     * @param publisher sends a message (a rebirth request) through the broker connection
     * @param events    counts an event of the dialect ({@link #BIRTHS}, {@link #SEQUENCE_GAPS}, ...)
     */
    public SparkplugDialect(List<String> groups, String namespace, List<DeviceMapping> mappings, PropertyMapper mapper,
                            Duration rebirthInterval, LongSupplier clock, Consumer<Outbound> publisher, Consumer<String> events) {
        this.groups = groups == null || groups.isEmpty() || groups.contains("*") ? List.of() : List.copyOf(groups);
        this.namespace = namespace;
        this.mappings = List.copyOf(mappings);
        this.mapper = mapper;
        this.rebirthIntervalMillis = rebirthInterval.toMillis();
        this.clock = clock;
        this.publisher = publisher;
        this.events = events;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> subscriptions() {
        if (groups.isEmpty()) {
            return List.of(NAMESPACE + "/#");
        }
        List<String> out = new ArrayList<>();
        for (String g : groups) {
            out.add(NAMESPACE + "/" + g + "/#");
        }
        return out;
    }

    // ---- reading --------------------------------------------------------------------------------

    @Override
    public List<Decoded> decode(String topic, byte[] payload, KnownDevices known) throws RejectedException {
        String[] t = topic.split("/", -1);
        if (t.length < 3 || !NAMESPACE.equals(t[0])) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "not a Sparkplug B topic: " + topic);
        }
        if ("STATE".equals(t[1])) {
            return List.of(new Decoded.Ignored("STATE of the host application " + t[2]));
        }
        MessageType type;
        try {
            type = t.length >= 4 ? MessageType.parseMessageType(t[2]) : null;
        } catch (SparkplugParsingException | RuntimeException e) {
            type = null;
        }
        if (type == null || t.length > 5 || (type.isDeviceMessage() != (t.length == 5)) || t[1].isEmpty() || t[3].isEmpty()
                || (t.length == 5 && t[4].isEmpty())) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, "not a Sparkplug B topic spBv1.0/<group>/<message type>/<edge node>[/<device>]: "
                    + topic);
        }
        if (type.isCommand()) {
            return List.of(new Decoded.Ignored("command " + topic));
        }
        if (type.isRecord()) {
            return List.of(new Decoded.Ignored("record " + topic));
        }
        String group = t[1];
        String edge = t[3];
        synchronized (nodes) {
            return switch (type) {
                case NBIRTH -> nodeBirth(group, edge, payload, known);
                case NDEATH -> nodeDeath(group, edge, payload);
                case NDATA -> nodeData(group, edge, payload, known);
                case DBIRTH -> deviceBirth(group, edge, t[4], payload, known);
                case DDATA -> deviceData(group, edge, t[4], payload, known);
                case DDEATH -> deviceDeath(group, edge, t[4], payload);
                default -> List.of(new Decoded.Ignored(type + " " + topic));
            };
        }
    }

    private List<Decoded> nodeBirth(String group, String edge, byte[] payload, KnownDevices known) throws RejectedException {
        SparkplugBProto.Payload proto = proto(payload);
        long seq = seq(proto, "NBIRTH");
        requireDataTypes(proto, "NBIRTH");
        SparkplugBPayload p = tahu(payload, null);
        Definitions defs = Definitions.of(p.getMetrics());
        Long bdSeq = bdSeq(p);
        SparkplugNode node = new SparkplugNode(group, edge, bdSeq, seq, defs);
        SparkplugNode previous = nodes.put(node.key(), node);
        if (previous != null) {
            // the devices of the earlier session wait for their DBIRTH; an NDEATH before it still takes them offline
            for (String d : previous.devices.keySet()) {
                node.devices.put(d, new SparkplugNode.Device(d, null));
            }
        }
        events.accept(BIRTHS);
        LOG.debug("Sparkplug edge node {} born (bdSeq {}, seq {}, {} metrics)", node.key(), bdSeq, seq, defs.size());
        ThingId id = thingId(group + ":" + edge);
        DeviceMapping mapping = mapping(id, defs, known, false);
        if (mapping == null) {
            return List.of(new Decoded.Ignored("NBIRTH of " + node.key() + ": its own metrics fit no model"));
        }
        return List.of(new Decoded.Availability(id, true), report(id, mapping, p.getMetrics(), defs, group, edge, null));
    }

    private List<Decoded> nodeDeath(String group, String edge, byte[] payload) throws RejectedException {
        SparkplugBPayload p = tahu(payload, null);
        SparkplugNode node = nodes.get(group + "/" + edge);
        if (node == null || !node.online) {
            return List.of(new Decoded.Ignored("NDEATH of " + group + "/" + edge + ", which is not online"));
        }
        Long bdSeq = bdSeq(p);
        if (node.bdSeq != null) {
            if (bdSeq == null) {
                throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "an NDEATH needs the bdSeq metric of its NBIRTH");
            }
            if (!node.bdSeq.equals(bdSeq)) {
                events.accept(STALE_DEATHS);
                return List.of(new Decoded.Ignored("NDEATH of an earlier session of " + node.key() + " (bdSeq " + bdSeq + ", the NBIRTH had "
                        + node.bdSeq + ")"));
            }
        }
        node.online = false;
        events.accept(DEATHS);
        LOG.debug("Sparkplug edge node {} died (bdSeq {})", node.key(), bdSeq);
        List<Decoded> out = new ArrayList<>();
        out.add(new Decoded.Availability(thingId(group + ":" + edge), false));
        for (SparkplugNode.Device d : node.devices.values()) {
            d.online = false;
            out.add(new Decoded.Availability(thingId(group + ":" + edge + ":" + d.id), false));
        }
        return out;
    }

    private List<Decoded> nodeData(String group, String edge, byte[] payload, KnownDevices known) throws RejectedException {
        SparkplugNode node = online(group, edge, "NDATA");
        SparkplugBProto.Payload proto = proto(payload);
        sequence(node, proto, "NDATA");
        node.metrics.check(proto, "the edge node " + node.key());
        SparkplugBPayload p = tahu(payload, node.metrics.types());
        ThingId id = thingId(group + ":" + edge);
        DeviceMapping mapping = mapping(id, node.metrics, known, false);
        if (mapping == null) {
            return List.of(new Decoded.Ignored("NDATA of " + node.key() + ": its metrics fit no model"));
        }
        return List.of(report(id, mapping, p.getMetrics(), node.metrics, group, edge, null));
    }

    private List<Decoded> deviceBirth(String group, String edge, String device, byte[] payload, KnownDevices known) throws RejectedException {
        SparkplugNode node = online(group, edge, "DBIRTH");
        SparkplugBProto.Payload proto = proto(payload);
        sequence(node, proto, "DBIRTH");
        requireDataTypes(proto, "DBIRTH");
        SparkplugBPayload p = tahu(payload, null);
        Definitions defs = Definitions.of(p.getMetrics());
        if (!node.devices.containsKey(device) && node.devices.size() >= SparkplugNode.MAX_DEVICES) {
            throw new RejectedException(RejectReason.OUT_OF_RANGE, "the edge node " + node.key() + " has more than " + SparkplugNode.MAX_DEVICES
                    + " devices");
        }
        node.devices.put(device, new SparkplugNode.Device(device, defs));
        events.accept(BIRTHS);
        ThingId id = thingId(group + ":" + edge + ":" + device);
        DeviceMapping mapping = mapping(id, defs, known, true);
        return List.of(new Decoded.Availability(id, true), report(id, mapping, p.getMetrics(), defs, group, edge, device));
    }

    private List<Decoded> deviceData(String group, String edge, String device, byte[] payload, KnownDevices known) throws RejectedException {
        SparkplugNode node = online(group, edge, "DDATA");
        SparkplugBProto.Payload proto = proto(payload);
        sequence(node, proto, "DDATA");
        SparkplugNode.Device d = node.devices.get(device);
        if (d == null || !d.online || d.metrics == null) {
            requestRebirth(node.group, node.edge, "DDATA of " + device + " before its DBIRTH");
            throw new RejectedException(RejectReason.NO_BIRTH, "DDATA of the device " + node.key() + "/" + device + " before its DBIRTH");
        }
        String whose = "the device " + node.key() + "/" + device;
        d.metrics.check(proto, whose);
        SparkplugBPayload p = tahu(payload, d.metrics.types());
        ThingId id = thingId(group + ":" + edge + ":" + device);
        return List.of(report(id, mapping(id, d.metrics, known, true), p.getMetrics(), d.metrics, group, edge, device));
    }

    private List<Decoded> deviceDeath(String group, String edge, String device, byte[] payload) throws RejectedException {
        SparkplugNode node = nodes.get(group + "/" + edge);
        SparkplugBProto.Payload proto = proto(payload);
        if (node == null || !node.online) {
            return List.of(new Decoded.Ignored("DDEATH of " + device + " of " + group + "/" + edge + ", which is not online"));
        }
        sequence(node, proto, "DDEATH");
        SparkplugNode.Device d = node.devices.get(device);
        if (d == null) {
            return List.of(new Decoded.Ignored("DDEATH of " + device + ", which " + node.key() + " did not announce"));
        }
        d.online = false;
        events.accept(DEATHS);
        return List.of(new Decoded.Availability(thingId(group + ":" + edge + ":" + device), false));
    }

    /** The edge node, online since its NBIRTH; otherwise a rebirth is requested and the message refused. */
    private SparkplugNode online(String group, String edge, String message) throws RejectedException {
        SparkplugNode node = nodes.get(group + "/" + edge);
        if (node == null || !node.online) {
            requestRebirth(group, edge, message + " before the NBIRTH");
            throw new RejectedException(RejectReason.NO_BIRTH, message + " of the edge node " + group + "/" + edge + " before its NBIRTH");
        }
        return node;
    }

    private Decoded.Report report(ThingId id, DeviceMapping mapping, List<Metric> metrics, Definitions defs, String group, String edge,
                                  String device) throws RejectedException {
        JsonObject values = SparkplugMetrics.values(metrics, defs);
        JsonObject.Builder config = JsonObject.newBuilder()
                .set(Decoded.ADDRESS, group + "/" + edge + (device == null ? "" : "/" + device))
                .set("groupId", group)
                .set("edgeNodeId", edge);
        JsonObject.Builder sparkplug = JsonObject.newBuilder().set("groupId", group).set("edgeNodeId", edge);
        if (device != null) {
            config.set("deviceId", device);
            sparkplug.set("deviceId", device);
        }
        JsonObject properties = SparkplugMetrics.properties(metrics);
        if (!properties.isEmpty()) {
            sparkplug.set("properties", properties);
        }
        return new Decoded.Report(id, mapping.model(), config.build(), mapper.map(mapping.model(), mapping.rules(), values, null), true,
                JsonObject.of("sparkplug", sparkplug.build()));
    }

    /** The mapping of an attached device's model, or the one the BIRTH's metrics fit; {@code null} for a node that fits none. */
    private DeviceMapping mapping(ThingId id, Definitions defs, KnownDevices known, boolean required) throws RejectedException {
        Optional<String> model = known.model(id);
        if (model.isPresent()) {
            for (DeviceMapping m : mappings) {
                if (m.model().equals(model.get())) {
                    return m;
                }
            }
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Sparkplug mapping for the model " + model.get());
        }
        JsonObject shape = defs.shape();
        for (DeviceMapping m : mappings) {
            if (m.matches(shape, null)) {
                return m;
            }
        }
        if (required) {
            throw new RejectedException(RejectReason.UNKNOWN_DEVICE, "no Sparkplug mapping recognizes the metrics " + shape.keys());
        }
        return null;
    }

    /** Checks the sequence number: one more than the last (mod 256); a gap is counted and a rebirth requested. */
    private void sequence(SparkplugNode node, SparkplugBProto.Payload proto, String message) throws RejectedException {
        long seq = seq(proto, message);
        long expected = (node.seq + 1) % 256;
        if (seq != expected) {
            events.accept(SEQUENCE_GAPS);
            LOG.debug("Sparkplug edge node {}: {} has seq {} where {} was expected", node.key(), message, seq, expected);
            requestRebirth(node.group, node.edge, "sequence number " + seq + " where " + expected + " was expected");
        }
        node.seq = seq;
    }

    /** A BIRTH defines its metrics: each needs a name and a data type. */
    private static void requireDataTypes(SparkplugBProto.Payload proto, String message) throws RejectedException {
        for (SparkplugBProto.Payload.Metric m : proto.getMetricsList()) {
            if (!m.hasName() || m.getName().isEmpty() || m.getDatatype() == 0) {
                throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "every metric of a " + message + " needs a name and a data type"
                        + (m.hasName() ? " ('" + m.getName() + "' has none)" : ""));
            }
        }
    }

    private static long seq(SparkplugBProto.Payload proto, String message) throws RejectedException {
        if (!proto.hasSeq()) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a Sparkplug " + message + " needs a sequence number");
        }
        long seq = proto.getSeq();
        if (seq < 0 || seq > 255) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a Sparkplug sequence number is 0–255 but was " + Long.toUnsignedString(seq));
        }
        return seq;
    }

    private static Long bdSeq(SparkplugBPayload p) {
        for (Metric m : p.getMetrics()) {
            if (m != null && BD_SEQ.equals(m.getName()) && m.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return null;
    }

    private static SparkplugBProto.Payload proto(byte[] payload) throws RejectedException {
        try {
            return SparkplugBProto.Payload.parseFrom(payload);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "not a Sparkplug B payload: " + e.getMessage());
        }
    }

    /** Decodes with Tahu; DATA messages name their metrics' data types through the BIRTH's ({@code types}). */
    private static SparkplugBPayload tahu(byte[] payload, MetricDataTypeMap types) throws RejectedException {
        SparkplugBPayload p;
        try {
            p = new SparkplugBPayloadDecoder().buildFromByteArray(payload, types);
        } catch (Exception e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "not a Sparkplug B payload: " + e);
        }
        for (Metric m : p.getMetrics()) {
            if (m == null) {
                throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "a metric has no data type");
            }
        }
        return p;
    }

    private ThingId thingId(String address) throws RejectedException {
        try {
            return Topics.thingId(namespace, THING_PREFIX, address);
        } catch (InvalidIdException e) {
            throw new RejectedException(RejectReason.UNKNOWN_TOPIC, e.getMessage());
        }
    }

    // ---- rebirth --------------------------------------------------------------------------------

    /** Asks an edge node to publish its BIRTH certificates again (at most once per node and rebirth interval). */
    private void requestRebirth(String group, String edge, String why) {
        String key = group + "/" + edge;
        long now = clock.getAsLong();
        Long last = rebirths.get(key);
        if (last != null && now - last < rebirthIntervalMillis) {
            return;
        }
        rebirths.put(key, now);
        try {
            Metric rebirth = new Metric.MetricBuilder(REBIRTH, MetricDataType.Boolean, true).timestamp(new Date(now)).createMetric();
            SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date(now)).addMetric(rebirth).createPayload();
            publisher.accept(new Outbound(NAMESPACE + "/" + group + "/NCMD/" + edge, new SparkplugBPayloadEncoder().getBytes(p, false), false, 0));
            events.accept(REBIRTH_REQUESTS);
            LOG.info("Sparkplug edge node {}: rebirth requested ({})", key, why);
        } catch (IOException | org.eclipse.tahu.SparkplugInvalidTypeException | RuntimeException e) {
            LOG.warn("Sparkplug edge node {}: the rebirth request could not be sent: {}", key, e.getMessage());
        }
    }

    // ---- writing --------------------------------------------------------------------------------

    @Override
    public List<Outbound> encode(DeviceRef device, String featureId, JsonObject desired) throws RejectedException {
        DeviceMapping mapping = null;
        for (DeviceMapping m : mappings) {
            if (m.model().equals(device.model())) {
                mapping = m;
            }
        }
        String group = device.text("groupId");
        String edge = device.text("edgeNodeId");
        String deviceId = device.text("deviceId");
        if (mapping == null || group == null || edge == null) {
            return List.of();
        }
        FeatureModel feature = mapper.model(device.model()).map(m -> m.features().get(featureId)).orElse(null);
        long now = clock.getAsLong();
        List<Metric> metrics = new ArrayList<>();
        Set<String> written = new HashSet<>();
        synchronized (nodes) {
            SparkplugNode node = nodes.get(group + "/" + edge);
            SparkplugNode.Device d = node == null || deviceId == null ? null : node.devices.get(deviceId);
            Definitions defs = deviceId == null ? (node == null || !node.online ? null : node.metrics) : (d == null ? null : d.metrics);
            for (CommandRule rule : mapping.commands()) {
                JsonValue v = rule.feature().equals(featureId) ? desired.getOrNull(rule.property()) : null;
                if (v == null || written.contains(rule.property())) {
                    continue;
                }
                if (defs == null) {
                    requestRebirth(group, edge, "a command for " + device.thingId() + ", whose BIRTH was not seen");
                    throw new RejectedException(RejectReason.NO_BIRTH, "the BIRTH of " + device.address()
                            + " was not seen since the binding started: the data types of its metrics are unknown (a rebirth is requested)");
                }
                MetricDef def = defs.resolve(Sources.parse(rule.target()));
                if (def == null) {
                    continue;
                }
                PropertyModel p = feature == null ? null : feature.properties().get(rule.property());
                Object value = SparkplugMetrics.toDevice(def.type(), mapper.toDevice(rule, p, v), def.name());
                try {
                    metrics.add(new Metric.MetricBuilder(def.name(), def.type(), value).timestamp(new Date(now)).createMetric());
                } catch (org.eclipse.tahu.SparkplugInvalidTypeException e) {
                    throw new RejectedException(RejectReason.WRONG_TYPE, e.getMessage());
                }
                written.add(rule.property());
            }
        }
        if (metrics.isEmpty()) {
            return List.of();
        }
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date(now)).addMetrics(metrics).createPayload();
        String topic = NAMESPACE + "/" + group + (deviceId == null ? "/NCMD/" + edge : "/DCMD/" + edge + "/" + deviceId);
        try {
            return List.of(new Outbound(topic, new SparkplugBPayloadEncoder().getBytes(p, false), false, 0));
        } catch (IOException | RuntimeException e) {
            throw new RejectedException(RejectReason.WRONG_TYPE, "the command could not be encoded: " + e.getMessage());
        }
    }

    /** The edge nodes known now and whether each is online (for tests and diagnostics). */
    Map<String, Boolean> nodes() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        synchronized (nodes) {
            nodes.forEach((k, n) -> out.put(k, n.online));
        }
        return out;
    }
}
