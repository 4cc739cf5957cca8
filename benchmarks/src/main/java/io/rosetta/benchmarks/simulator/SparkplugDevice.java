package io.rosetta.benchmarks.simulator;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * A device of a Sparkplug B edge node: DBIRTH names its metrics, in folders, with aliases and engineering
 * units ({@code Sensors/Temperature} °C, {@code Sensors/Humidity} %, {@code Device/Battery} %, {@code Device/RSSI}
 * dBm for a climate sensor; {@code Outputs/Relay}, {@code Meter/Power} W, {@code Meter/Energy} kWh,
 * {@code Meter/Voltage} V, {@code Meter/Current} A for a plug); DDATA carries the changed metrics by alias
 * only; a DCMD writing {@code Outputs/Relay} (by name or alias) is executed and answered with DDATA.
 * Analog values are Doubles, so that the twin's value is the very number sent.
 */
public final class SparkplugDevice extends SimDevice {

    static final String DIALECT = "sparkplug";
    static final String RELAY = "Outputs/Relay";

    private final SparkplugEdgeNode node;
    private final String id;
    private final long aliasBase;

    SparkplugDevice(SparkplugEdgeNode node, Kind kind, int index, long seed) {
        super(kind, index, seed, false);
        this.node = node;
        this.id = (kind == Kind.PLUG ? "plug-" : "climate-") + String.format("%04d", index);
        this.aliasBase = 100L * (node.devices().size() + 1);
        node.add(this);
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    public SparkplugEdgeNode node() {
        return node;
    }

    public String deviceId() {
        return id;
    }

    @Override
    public String thingName() {
        return "spb-" + node.group() + ":" + node.edge() + ":" + id;
    }

    @Override
    public Object lock() {
        return node;
    }

    @Override
    public int connection() {
        return node.connection;
    }

    /** Metric names as a PLC or gateway names them: in folders ({@code Sensors/Temperature}, {@code Outputs/Relay}). */
    private String[] names() {
        return kind == Kind.PLUG
                ? new String[] {RELAY, "Meter/Power", "Meter/Energy", "Meter/Voltage", "Meter/Current"}
                : new String[] {"Sensors/Temperature", "Sensors/Humidity", "Device/Battery", "Device/RSSI"};
    }

    private static String leaf(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private String unit(String name) {
        return switch (leaf(name)) {
            case "Temperature" -> "°C";
            case "Humidity", "Battery" -> "%";
            case "Power" -> "W";
            case "Energy" -> "kWh";
            case "Voltage" -> "V";
            case "Current" -> "A";
            case "RSSI" -> "dBm";
            default -> null;
        };
    }

    private MetricDataType type(String name) {
        return switch (leaf(name)) {
            case "Relay" -> MetricDataType.Boolean;
            case "Battery", "RSSI" -> MetricDataType.Int32;
            default -> MetricDataType.Double;
        };
    }

    private Object value(String name) {
        return switch (leaf(name)) {
            case "Relay" -> on;
            case "Battery" -> batteryPercent();
            case "RSSI" -> signal;
            case "Temperature" -> JsonText.round(temperatureC(), 2);
            case "Humidity" -> JsonText.round(humidity.value(), 2);
            case "Power" -> JsonText.round(power(), 2);
            case "Energy" -> JsonText.round(energyKWh, 4);
            case "Voltage" -> JsonText.round(voltage.value(), 1);
            case "Current" -> JsonText.round(current(), 3);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The model property a metric ends up in (for the mark of a DDATA). */
    private static Mark mark(String name, double v) {
        return switch (leaf(name)) {
            case "Temperature" -> new Mark("temperature", "value", v);
            case "Humidity" -> new Mark("humidity", "value", v);
            case "Battery" -> new Mark("device", "batteryLevel", v);
            case "RSSI" -> new Mark("device", "signalStrength", v);
            default -> new Mark("energy", leaf(name).toLowerCase(java.util.Locale.ROOT), v);
        };
    }

    long alias(String name) {
        String[] n = names();
        for (int i = 0; i < n.length; i++) {
            if (n[i].equals(name)) {
                return aliasBase + i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** DBIRTH: every metric with name, alias, type, value and engineering unit. Called under the node's monitor. */
    Message birth() {
        Date now = new Date();
        SparkplugBPayload.SparkplugBPayloadBuilder b = new SparkplugBPayload.SparkplugBPayloadBuilder(node.nextSeq()).setTimestamp(now);
        for (String name : names()) {
            try {
                Metric.MetricBuilder m = new Metric.MetricBuilder(name, type(name), value(name)).alias(alias(name)).timestamp(now);
                String unit = unit(name);
                if (unit != null) {
                    m.properties(new PropertySet.PropertySetBuilder()
                            .addProperty("engUnit", new PropertyValue<>(PropertyDataType.String, unit)).createPropertySet());
                }
                b.addMetric(m.createMetric());
            } catch (org.eclipse.tahu.SparkplugInvalidTypeException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Message(node.topic("DBIRTH", id), node.encode(b.createPayload()), false, null);
    }

    Message death() {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder(node.nextSeq()).setTimestamp(new Date()).createPayload();
        return new Message(node.topic("DDEATH", id), node.encode(p), false, null);
    }

    /** DDATA with the given metrics by alias; the first analog one is the message's mark. */
    private Message data(String... metrics) {
        Date now = new Date();
        SparkplugBPayload.SparkplugBPayloadBuilder b = new SparkplugBPayload.SparkplugBPayloadBuilder(node.nextSeq()).setTimestamp(now);
        Mark mark = null;
        for (String name : metrics) {
            Object v = value(name);
            try {
                b.addMetric(new Metric.MetricBuilder(alias(name), type(name), v).timestamp(now).createMetric());
            } catch (org.eclipse.tahu.SparkplugInvalidTypeException e) {
                throw new IllegalStateException(e);
            }
            if (mark == null && v instanceof Number n) {
                mark = mark(name, n.doubleValue());
            }
        }
        return new Message(node.topic("DDATA", id), node.encode(b.createPayload()), false, mark);
    }

    @Override
    public List<Message> announce() {
        return List.of(); // the edge node's birth carries the DBIRTH
    }

    @Override
    public Message telemetry() {
        advance();
        // report by exception, as edge nodes do: what changed; the slow metrics now and then
        return kind == Kind.PLUG
                ? (reports % 4 == 0 ? data("Meter/Power", "Meter/Energy", "Meter/Voltage", "Meter/Current") : data("Meter/Power", "Meter/Current"))
                : (reports % 10 == 0 ? data("Sensors/Humidity", "Sensors/Temperature", "Device/Battery", "Device/RSSI")
                : data("Sensors/Humidity", "Sensors/Temperature"));
    }

    @Override
    public List<Message> offline() {
        return List.of(death());
    }

    @Override
    public List<String> commandTopics() {
        return List.of(node.topic("DCMD", id));
    }

    @Override
    public List<Message> command(String topic, byte[] payload) {
        SparkplugBPayload p = decode(payload);
        List<String> changed = new ArrayList<>();
        for (Metric m : p.getMetrics()) {
            String name = m.hasName() ? m.getName() : nameOf(m.getAlias());
            if (!RELAY.equals(name) || kind != Kind.PLUG || !(m.getValue() instanceof Boolean b)) {
                throw new IllegalArgumentException("DCMD for a metric that is not writable: " + (name != null ? name : m.getAlias()));
            }
            setOn(b);
            changed.add(RELAY);
            changed.add("Meter/Power");
        }
        return changed.isEmpty() ? List.of() : List.of(data(changed.toArray(String[]::new)));
    }

    private String nameOf(Long alias) {
        for (String n : names()) {
            if (alias != null && alias(n) == alias) {
                return n;
            }
        }
        return null;
    }

    static SparkplugBPayload decode(byte[] payload) {
        try {
            return new SparkplugBPayloadDecoder().buildFromByteArray(payload, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a Sparkplug B payload: " + e.getMessage());
        }
    }
}
