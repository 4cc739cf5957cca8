package io.rosetta.benchmarks.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * A Sparkplug B edge node (Sparkplug 3.0) with its devices, on its own MQTT session: NBIRTH with
 * {@code bdSeq} and {@code Node Control/Rebirth}, then a DBIRTH per device (metric names, aliases,
 * types, engineering units), then DDATA with aliases only. Every message after NBIRTH (seq 0) takes the
 * next sequence number modulo 256; NDEATH (no seq) carries the NBIRTH's {@code bdSeq} and is the
 * session's last will. Encoded with Eclipse Tahu's {@link SparkplugBPayloadEncoder}. All of a node's
 * messages are made and published under its monitor, so that sequence numbers reach the broker in order.
 */
public final class SparkplugEdgeNode {

    public static final String NAMESPACE = "spBv1.0";

    private final String group;
    private final String edge;
    private final List<SparkplugDevice> devices = new ArrayList<>();
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private long bdSeq;
    private long seq;
    int connection;

    SparkplugEdgeNode(String group, String edge, long bdSeq) {
        this.group = group;
        this.edge = edge;
        this.bdSeq = bdSeq;
    }

    public String group() {
        return group;
    }

    public String edge() {
        return edge;
    }

    public int connection() {
        return connection;
    }

    List<SparkplugDevice> devices() {
        return devices;
    }

    void add(SparkplugDevice d) {
        devices.add(d);
    }

    String topic(String type) {
        return NAMESPACE + "/" + group + "/" + type + "/" + edge;
    }

    String topic(String type, String device) {
        return topic(type) + "/" + device;
    }

    /** The next sequence number, 0–255. */
    long nextSeq() {
        seq = (seq + 1) % 256;
        return seq;
    }

    byte[] encode(SparkplugBPayload payload) {
        try {
            return encoder.getBytes(payload, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NBIRTH (seq 0) and every device's DBIRTH. */
    synchronized List<Message> birth() {
        List<Message> out = new ArrayList<>();
        seq = 0;
        Date now = new Date();
        SparkplugBPayload nbirth = new SparkplugBPayload.SparkplugBPayloadBuilder(0L).setTimestamp(now)
                .addMetric(metric("bdSeq", MetricDataType.Int64, bdSeq, now))
                .addMetric(metric("Node Control/Rebirth", MetricDataType.Boolean, false, now))
                .addMetric(metric("Properties/Hardware Make", MetricDataType.String, "Rosetta simulator", now))
                .addMetric(metric("Properties/OS", MetricDataType.String, "Linux", now))
                .createPayload();
        out.add(new Message(topic("NBIRTH"), encode(nbirth), false, null));
        for (SparkplugDevice d : devices) {
            out.add(d.birth());
        }
        return out;
    }

    /** The NDEATH: the session's last will, and what a graceful shutdown publishes before disconnecting. */
    synchronized Message death() {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
                .addMetric(metric("bdSeq", MetricDataType.Int64, bdSeq, new Date())).createPayload();
        return new Message(topic("NDEATH"), encode(p), false, null);
    }

    /** DDEATH of every device, then NDEATH. */
    synchronized List<Message> offline() {
        List<Message> out = new ArrayList<>();
        for (SparkplugDevice d : devices) {
            out.add(d.death());
        }
        out.add(death());
        return out;
    }

    long bdSeq() {
        return bdSeq;
    }

    /** NCMD: {@code Node Control/Rebirth} = true republishes the births. */
    synchronized List<Message> command(byte[] payload) {
        SparkplugBPayload p = SparkplugDevice.decode(payload);
        for (Metric m : p.getMetrics()) {
            if ("Node Control/Rebirth".equals(m.getName()) && Boolean.TRUE.equals(m.getValue())) {
                return birth();
            }
        }
        throw new IllegalArgumentException("NCMD without a known metric: " + p.getMetrics());
    }

    static Metric metric(String name, MetricDataType type, Object value, Date ts) {
        try {
            return new Metric.MetricBuilder(name, type, value).timestamp(ts).createMetric();
        } catch (org.eclipse.tahu.SparkplugInvalidTypeException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
