package io.rosetta.benchmarks.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

/**
 * The simulator's Sparkplug B messages decoded with Eclipse Tahu's decoder and checked against the
 * Sparkplug 3.0 rules a host application relies on: topics, NBIRTH first with seq 0 and bdSeq, DBIRTH
 * naming every metric with an alias, DDATA by alias only, seq incremented by one per message modulo 256,
 * NDEATH with the NBIRTH's bdSeq, DCMD and NCMD executed.
 */
class SparkplugPayloadsTest {

    private final Fleet fleet = new Fleet(SimulatorOptions.parse(new String[] {"--dialects", "sparkplug", "--devices", "6",
        "--toggle-chance", "0", "--sparkplug-group", "plant1"}));
    private final SparkplugEdgeNode node = fleet.edges().get(0);

    private static SparkplugBPayload decode(Message m) {
        return SparkplugDevice.decode(m.payload());
    }

    private static Map<String, Metric> byName(SparkplugBPayload p) {
        Map<String, Metric> out = new HashMap<>();
        p.getMetrics().forEach(m -> out.put(m.getName(), m));
        return out;
    }

    @Test
    void birthCertificatesComeFirstAndNameEveryMetricWithAnAlias() {
        List<Message> birth = fleet.announcements().get(node.connection());

        assertThat(birth).hasSize(7);
        assertThat(birth.get(0).topic()).isEqualTo("spBv1.0/plant1/NBIRTH/edge-01");
        SparkplugBPayload nbirth = decode(birth.get(0));
        assertThat(nbirth.getSeq()).isZero();
        assertThat(byName(nbirth)).containsKeys("bdSeq", "Node Control/Rebirth");
        assertThat(byName(nbirth).get("bdSeq").getValue()).isEqualTo(node.bdSeq());
        for (int i = 1; i < birth.size(); i++) {
            SparkplugDevice d = (SparkplugDevice) fleet.devices().get(i - 1);
            assertThat(birth.get(i).topic()).isEqualTo("spBv1.0/plant1/DBIRTH/edge-01/" + d.deviceId());
            SparkplugBPayload dbirth = decode(birth.get(i));
            assertThat(dbirth.getSeq()).isEqualTo(i);
            for (Metric m : dbirth.getMetrics()) {
                assertThat(m.hasName()).isTrue();
                assertThat(m.getAlias()).isEqualTo(d.alias(m.getName()));
            }
            assertThat(byName(dbirth)).containsKeys(d.kind() == Kind.PLUG
                    ? new String[] {"Outputs/Relay", "Meter/Power", "Meter/Energy", "Meter/Voltage", "Meter/Current"}
                    : new String[] {"Sensors/Temperature", "Sensors/Humidity", "Device/Battery", "Device/RSSI"});
            if (d.kind() == Kind.CLIMATE) {
                Metric t = byName(dbirth).get("Sensors/Temperature");
                assertThat(t.getProperties().getPropertyValue("engUnit").getValue()).isEqualTo("°C");
                assertThat(t.getDataType()).isEqualTo(MetricDataType.Double);
            }
        }
    }

    @Test
    void dataUsesAliasesOnlyAndSequenceNumbersWrapAt256() {
        fleet.announcements();
        long expected = fleet.devices().size();
        Map<Long, String> names = new HashMap<>();
        for (SimDevice d : fleet.devices()) {
            for (String n : List.of("Outputs/Relay", "Meter/Power", "Meter/Energy", "Meter/Voltage", "Meter/Current", "Sensors/Temperature",
                    "Sensors/Humidity", "Device/Battery", "Device/RSSI")) {
                try {
                    names.put(((SparkplugDevice) d).alias(n), n);
                } catch (IllegalArgumentException e) {
                    // not a metric of this kind
                }
            }
        }
        int marked = 0;
        for (int i = 0; i < 600; i++) {
            SparkplugDevice d = (SparkplugDevice) fleet.devices().get(i % fleet.devices().size());
            Message m = d.telemetry();
            assertThat(m.topic()).isEqualTo("spBv1.0/plant1/DDATA/edge-01/" + d.deviceId());
            SparkplugBPayload p = decode(m);
            expected = (expected + 1) % 256;
            assertThat(p.getSeq()).isEqualTo(expected);
            assertThat(p.getTimestamp()).isNotNull();
            for (Metric metric : p.getMetrics()) {
                assertThat(metric.hasName()).as("DDATA metrics carry aliases only").isFalse();
                assertThat(names).containsKey(metric.getAlias());
            }
            if (m.mark() != null) {
                Metric first = p.getMetrics().stream().filter(x -> x.getValue() instanceof Double).findFirst().orElseThrow();
                assertThat((Double) first.getValue()).isEqualTo(m.mark().value());
                marked++;
            }
        }
        assertThat(marked).isEqualTo(600);
    }

    @Test
    void deathCarriesTheBirthsBdSeq() {
        Message will = fleet.will(node.connection());
        assertThat(will.topic()).isEqualTo("spBv1.0/plant1/NDEATH/edge-01");
        SparkplugBPayload p = decode(will);
        assertThat(byName(p).get("bdSeq").getValue()).isEqualTo(node.bdSeq());
        assertThat(p.getSeq()).isNull();

        List<Message> bye = fleet.goodbyes().get(node.connection());
        assertThat(bye).extracting(Message::topic).endsWith("spBv1.0/plant1/NDEATH/edge-01");
        assertThat(bye.get(0).topic()).startsWith("spBv1.0/plant1/DDEATH/edge-01/");
    }

    @Test
    void commandsByNameOrAliasAreExecutedAndAnsweredWithData() throws Exception {
        fleet.announcements();
        SparkplugDevice plug = (SparkplugDevice) fleet.devices().stream().filter(d -> d.kind() == Kind.PLUG).findFirst().orElseThrow();
        String topic = "spBv1.0/plant1/DCMD/edge-01/" + plug.deviceId();
        assertThat(fleet.deviceFor(topic)).isSameAs(plug);

        List<Message> answer = plug.command(topic, command(new Metric.MetricBuilder("Outputs/Relay", MetricDataType.Boolean, false).createMetric()));
        assertThat(answer).hasSize(1);
        SparkplugBPayload data = decode(answer.get(0));
        assertThat(answer.get(0).topic()).isEqualTo("spBv1.0/plant1/DDATA/edge-01/" + plug.deviceId());
        Metric on = data.getMetrics().stream().filter(m -> m.getAlias() == plug.alias("Outputs/Relay")).findFirst().orElseThrow();
        assertThat(on.getValue()).isEqualTo(false);
        Metric power = data.getMetrics().stream().filter(m -> m.getAlias() == plug.alias("Meter/Power")).findFirst().orElseThrow();
        assertThat(power.getValue()).isEqualTo(0.0);

        answer = plug.command(topic, command(new Metric.MetricBuilder(plug.alias("Outputs/Relay"), MetricDataType.Boolean, true).createMetric()));
        assertThat(decode(answer.get(0)).getMetrics().get(0).getValue()).isEqualTo(true);

        byte[] notWritable = command(new Metric.MetricBuilder("Meter/Power", MetricDataType.Double, 5.0).createMetric());
        assertThatThrownBy(() -> plug.command(topic, notWritable)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plug.command(topic, new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rebirthOnRequest() throws Exception {
        fleet.announcements();
        for (int i = 0; i < 10; i++) {
            fleet.devices().get(0).telemetry();
        }
        List<Message> rebirth = node.command(command(new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true).createMetric()));
        assertThat(rebirth.get(0).topic()).isEqualTo("spBv1.0/plant1/NBIRTH/edge-01");
        assertThat(decode(rebirth.get(0)).getSeq()).isZero();
        List<Long> seqs = new ArrayList<>();
        rebirth.forEach(m -> seqs.add(decode(m).getSeq()));
        assertThat(seqs).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    private static byte[] command(Metric m) throws Exception {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date()).addMetric(m).createPayload();
        return new SparkplugBPayloadEncoder().getBytes(p, false);
    }
}
