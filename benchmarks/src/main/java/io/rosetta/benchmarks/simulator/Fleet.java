package io.rosetta.benchmarks.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated devices: dealt round-robin to the dialects, each dialect's kinds in a realistic mix,
 * spread over the data connections; Sparkplug devices under edge nodes (one per 500 devices, at most
 * one per data connection) that each have a connection of their own, because a Sparkplug session's last
 * will is its node's NDEATH. Also routes commands to the device they are for.
 */
public final class Fleet {

    private static final Kind[] ZIGBEE_MIX = {Kind.CLIMATE, Kind.PLUG, Kind.CLIMATE, Kind.CONTACT, Kind.MOTION, Kind.CLIMATE, Kind.PLUG,
        Kind.CONTACT, Kind.MOTION, Kind.AIR_QUALITY};
    private static final Kind[] MIX = {Kind.CLIMATE, Kind.PLUG, Kind.CLIMATE};
    static final int DEVICES_PER_EDGE = 500;

    private final SimulatorOptions options;
    private final List<SimDevice> devices = new ArrayList<>();
    private final List<SparkplugEdgeNode> edges = new ArrayList<>();
    private final Zigbee2MqttBridge bridge;
    private final Map<String, SimDevice> commandTopics = new HashMap<>();
    private final Map<String, SparkplugEdgeNode> nodeCommandTopics = new HashMap<>();

    public Fleet(SimulatorOptions options) {
        this.options = options;
        List<String> dialects = options.dialects();
        int[] perDialect = new int[dialects.size()];
        for (int i = 0; i < options.devices(); i++) {
            perDialect[i % dialects.size()]++;
        }
        int sparkplugCount = dialects.contains(SparkplugDevice.DIALECT) ? perDialect[dialects.indexOf(SparkplugDevice.DIALECT)] : 0;
        int edgeCount = sparkplugCount == 0 ? 0 : Math.min(options.connections(), (sparkplugCount + DEVICES_PER_EDGE - 1) / DEVICES_PER_EDGE);
        for (int e = 0; e < edgeCount; e++) {
            SparkplugEdgeNode node = new SparkplugEdgeNode(options.sparkplugGroup(), String.format("edge-%02d", e + 1), 0);
            node.connection = options.connections() + e;
            edges.add(node);
            nodeCommandTopics.put(node.topic("NCMD"), node);
        }
        int[] seen = new int[dialects.size()];
        List<Zigbee2MqttDevice> zigbee = new ArrayList<>();
        int data = 0;
        for (int i = 0; i < options.devices(); i++) {
            int d = i % dialects.size();
            int j = seen[d]++;
            String dialect = dialects.get(d);
            long seed = options.seed() * 1_000_003L + i; // devices of different dialects drift differently
            SimDevice device = switch (dialect) {
                case Zigbee2MqttDevice.DIALECT -> {
                    Zigbee2MqttDevice z = new Zigbee2MqttDevice(options.zigbee2mqttBase(), ZIGBEE_MIX[j % ZIGBEE_MIX.length], j, seed);
                    zigbee.add(z);
                    yield z;
                }
                case TasmotaDevice.DIALECT -> new TasmotaDevice(MIX[j % MIX.length], j, seed);
                case ShellyDevice.DIALECT -> new ShellyDevice(MIX[j % MIX.length], j, seed);
                case HomieDevice.DIALECT -> new HomieDevice(options.homieBase(), MIX[j % MIX.length], j, seed);
                case HomeAssistantDevice.DIALECT -> new HomeAssistantDevice(options.homeAssistantPrefix(), MIX[j % MIX.length], j, seed);
                case GenericJsonDevice.DIALECT -> new GenericJsonDevice(MIX[j % MIX.length], j, seed);
                case SparkplugDevice.DIALECT -> new SparkplugDevice(edges.get(j % edges.size()), MIX[j % MIX.length], j, seed);
                default -> throw new IllegalArgumentException(dialect);
            };
            device.toggleChance = options.toggleChance();
            if (!(device instanceof SparkplugDevice)) {
                device.connection = data++ % options.connections();
            }
            devices.add(device);
            for (String t : device.commandTopics()) {
                commandTopics.put(t, device);
            }
        }
        this.bridge = zigbee.isEmpty() ? null : new Zigbee2MqttBridge(options.zigbee2mqttBase(), zigbee);
    }

    public List<SimDevice> devices() {
        return devices;
    }

    public List<SparkplugEdgeNode> edges() {
        return edges;
    }

    Zigbee2MqttBridge bridge() {
        return bridge;
    }

    /** Data connections plus one per Sparkplug edge node. */
    public int connectionCount() {
        return options.connections() + edges.size();
    }

    /** The MQTT filters that carry the fleet's commands, subscribed once (on the first connection). */
    public List<String> commandFilters() {
        List<String> out = new ArrayList<>();
        for (String dialect : options.dialects()) {
            switch (dialect) {
                case Zigbee2MqttDevice.DIALECT -> {
                    out.add(options.zigbee2mqttBase() + "/+/set");
                    out.add(options.zigbee2mqttBase() + "/+/+/set");
                }
                case TasmotaDevice.DIALECT -> out.add("cmnd/+/+");
                case ShellyDevice.DIALECT -> out.add("+/rpc");
                case HomieDevice.DIALECT -> out.add(options.homieBase() + "/+/+/+/set");
                case HomeAssistantDevice.DIALECT -> out.add("+/switch/+/command");
                case GenericJsonDevice.DIALECT -> out.add("acme/+/set");
                case SparkplugDevice.DIALECT -> {
                    out.add(SparkplugEdgeNode.NAMESPACE + "/" + options.sparkplugGroup() + "/NCMD/+");
                    out.add(SparkplugEdgeNode.NAMESPACE + "/" + options.sparkplugGroup() + "/DCMD/+/+");
                }
                default -> throw new IllegalArgumentException(dialect);
            }
        }
        return out;
    }

    /** The device a command topic is for, or {@code null}. */
    public SimDevice deviceFor(String topic) {
        SimDevice d = commandTopics.get(topic);
        if (d == null) {
            int slash = topic.lastIndexOf('/');
            if (slash > 0) {
                d = commandTopics.get(topic.substring(0, slash + 1));
            }
        }
        return d;
    }

    SparkplugEdgeNode nodeFor(String topic) {
        return nodeCommandTopics.get(topic);
    }

    /** What every connection publishes when it comes up, in order, keyed by connection. */
    Map<Integer, List<Message>> announcements() {
        Map<Integer, List<Message>> out = new LinkedHashMap<>();
        if (bridge != null) {
            out.computeIfAbsent(0, k -> new ArrayList<>()).addAll(bridge.announce());
        }
        for (SimDevice d : devices) {
            if (!(d instanceof SparkplugDevice)) {
                out.computeIfAbsent(d.connection, k -> new ArrayList<>()).addAll(d.announce());
            }
        }
        for (SparkplugEdgeNode n : edges) {
            out.computeIfAbsent(n.connection, k -> new ArrayList<>()).addAll(n.birth());
        }
        return out;
    }

    /** What each device on a connection publishes when that connection comes back (devices re-announce after a reconnect). */
    List<Message> announcements(int connection) {
        List<Message> out = new ArrayList<>();
        if (connection == 0 && bridge != null) {
            out.addAll(bridge.announce());
        }
        for (SimDevice d : devices) {
            if (!(d instanceof SparkplugDevice) && d.connection == connection) {
                out.addAll(d.announce());
            }
        }
        for (SparkplugEdgeNode n : edges) {
            if (n.connection == connection) {
                out.addAll(n.birth());
            }
        }
        return out;
    }

    /** The last will of a connection: the Zigbee2MQTT bridge's offline state, or a Sparkplug node's NDEATH. */
    Message will(int connection) {
        for (SparkplugEdgeNode n : edges) {
            if (n.connection == connection) {
                return n.death();
            }
        }
        return connection == 0 && bridge != null ? bridge.will() : null;
    }

    /** What the devices publish on a graceful shutdown, keyed by connection. */
    Map<Integer, List<Message>> goodbyes() {
        Map<Integer, List<Message>> out = new LinkedHashMap<>();
        for (SimDevice d : devices) {
            if (!(d instanceof SparkplugDevice)) {
                out.computeIfAbsent(d.connection, k -> new ArrayList<>()).addAll(d.offline());
            }
        }
        if (bridge != null) {
            out.computeIfAbsent(0, k -> new ArrayList<>()).add(bridge.will());
        }
        for (SparkplugEdgeNode n : edges) {
            out.computeIfAbsent(n.connection, k -> new ArrayList<>()).addAll(n.offline());
        }
        return out;
    }
}
