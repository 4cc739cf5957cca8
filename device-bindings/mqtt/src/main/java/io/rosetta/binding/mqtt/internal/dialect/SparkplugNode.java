package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.internal.dialect.SparkplugMetrics.Definitions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Sparkplug host knows about one edge node since its last NBIRTH: the bdSeq that ties its NDEATH
 * to that birth, the last sequence number, its metrics, whether it is online, and its devices with the
 * metrics of their DBIRTHs. Guarded by the dialect.
 */
final class SparkplugNode {

    static final int MAX_DEVICES = 1_000;

    final String group;
    final String edge;
    /** The NBIRTH's bdSeq; {@code null} when it had none (an edge node before Sparkplug 3). */
    final Long bdSeq;
    final Definitions metrics;
    final Map<String, Device> devices = new LinkedHashMap<>();
    long seq;
    boolean online = true;

    SparkplugNode(String group, String edge, Long bdSeq, long seq, Definitions metrics) {
        this.group = group;
        this.edge = edge;
        this.bdSeq = bdSeq;
        this.seq = seq;
        this.metrics = metrics;
    }

    String key() {
        return group + "/" + edge;
    }

    /**
     * A device of the edge node: its metrics since its last DBIRTH, or {@code null} for a device of the node's
     * previous session that has not been born again since the NBIRTH.
     */
    static final class Device {
        final String id;
        final Definitions metrics;
        boolean online;

        Device(String id, Definitions metrics) {
            this.id = id;
            this.metrics = metrics;
            this.online = metrics != null;
        }
    }
}
