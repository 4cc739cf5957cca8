package io.rosetta.binding.mqtt.internal.dialect;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.PropertyDataType;
import org.eclipse.tahu.message.model.PropertySet;
import org.eclipse.tahu.message.model.PropertyValue;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * A Sparkplug B edge node as Eclipse Tahu's edge node examples publish: an NBIRTH with {@code bdSeq},
 * {@code Node Control/Rebirth} and hardware properties at seq 0; DBIRTHs that give each metric an alias,
 * a data type and an {@code engUnit}; DATA messages that name metrics by alias only, without data types
 * (as Sparkplug 3.0 recommends); an NDEATH (its MQTT will) with the bdSeq of the birth. Sequence
 * numbers count 0–255 and wrap, as the node's own would.
 */
public final class SparkplugEdgeNode {

    public final String group;
    public final String edge;
    public long bdSeq;
    private long seq = -1;

    public SparkplugEdgeNode(String group, String edge, long bdSeq) {
        this.group = group;
        this.edge = edge;
        this.bdSeq = bdSeq;
    }

    public String topic(String type) {
        return "spBv1.0/" + group + "/" + type + "/" + edge;
    }

    public String topic(String type, String device) {
        return topic(type) + "/" + device;
    }

    private long nextSeq() {
        seq = (seq + 1) % 256;
        return seq;
    }

    /** Skips sequence numbers, as if messages were lost. */
    public void lose(int messages) {
        seq = (seq + messages) % 256;
    }

    public long lastSeq() {
        return seq;
    }

    public static Metric metric(String name, Long alias, MetricDataType type, Object value, String engUnit) throws Exception {
        Metric.MetricBuilder b = new Metric.MetricBuilder(name, type, value).timestamp(new Date());
        if (alias != null) {
            b.alias(alias);
        }
        if (engUnit != null) {
            b.properties(new PropertySet.PropertySetBuilder().addProperty("engUnit", new PropertyValue<>(PropertyDataType.String, engUnit))
                    .createPropertySet());
        }
        return b.createMetric();
    }

    /** A DATA metric as nodes using aliases send it: the alias and the value, no name. */
    public static Metric aliased(long alias, MetricDataType type, Object value) throws Exception {
        Metric m = new Metric.MetricBuilder(alias, type, value).timestamp(new Date()).createMetric();
        m.setName(null);
        return m;
    }

    public byte[] nbirth(Metric... extra) throws Exception {
        seq = -1;
        List<Metric> metrics = new ArrayList<>();
        metrics.add(metric("bdSeq", null, MetricDataType.Int64, bdSeq, null));
        metrics.add(metric("Node Control/Rebirth", null, MetricDataType.Boolean, false, null));
        metrics.add(metric("Properties/Hardware Make", null, MetricDataType.String, "Eclipse Tahu", null));
        metrics.addAll(List.of(extra));
        return encode(metrics, nextSeq(), false);
    }

    public byte[] ndeath() throws Exception {
        return encode(List.of(metric("bdSeq", null, MetricDataType.Int64, bdSeq, null)), null, false);
    }

    public byte[] ndeath(long otherBdSeq) throws Exception {
        return encode(List.of(metric("bdSeq", null, MetricDataType.Int64, otherBdSeq, null)), null, false);
    }

    /** A BIRTH or DATA message with the next sequence number; DATA messages without data types. */
    public byte[] message(boolean birth, Metric... metrics) throws Exception {
        return encode(List.of(metrics), nextSeq(), !birth);
    }

    public byte[] withSeq(long seq, Metric... metrics) throws Exception {
        return encode(List.of(metrics), seq, true);
    }

    private static byte[] encode(List<Metric> metrics, Long seq, boolean stripDataTypes) throws Exception {
        SparkplugBPayload.SparkplugBPayloadBuilder b = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date()).addMetrics(metrics);
        if (seq != null) {
            b.setSeq(seq);
        }
        return new SparkplugBPayloadEncoder().getBytes(b.createPayload(), stripDataTypes);
    }

    /** Reads a command the host sent (NCMD, DCMD) as the edge node would. */
    public static SparkplugBPayload decode(byte[] payload) throws Exception {
        return new SparkplugBPayloadDecoder().buildFromByteArray(payload, null);
    }
}
