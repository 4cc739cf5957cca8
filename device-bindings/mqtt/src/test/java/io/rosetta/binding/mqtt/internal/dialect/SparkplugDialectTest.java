package io.rosetta.binding.mqtt.internal.dialect;

import static io.rosetta.binding.mqtt.internal.dialect.SparkplugEdgeNode.aliased;
import static io.rosetta.binding.mqtt.internal.dialect.SparkplugEdgeNode.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.binding.mqtt.internal.TestModels;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

/**
 * The Sparkplug B dialect per message type, with payloads encoded by Eclipse Tahu as edge nodes publish
 * them: NBIRTH, DBIRTH with aliases and engineering units, DDATA by alias without data types, NDATA,
 * DDEATH, NDEATH with bdSeq; sequence numbers, rebirth requests, DCMD; and bad input of each kind.
 */
class SparkplugDialectTest {

    private static final String TH = "rosetta:temperature-humidity-sensor:1.0.0";
    private static final String PLUG = "rosetta:smart-plug:1.0.0";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Outbound> sent = new ArrayList<>();
    private final Map<String, Long> events = new HashMap<>();
    private final Map<ThingId, String> known = new HashMap<>();
    private final SparkplugDialect dialect = new SparkplugDialect(List.of("*"), "plant", TestModels.catalog().mappings(SparkplugDialect.ID),
            TestModels.mapper(), Duration.ofSeconds(10), now::get, sent::add, e -> events.merge(e, 1L, Long::sum));
    private final SparkplugEdgeNode node = new SparkplugEdgeNode("line-1", "gateway-7", 3);

    private List<Decoded> decode(String topic, byte[] payload) throws RejectedException {
        return dialect.decode(topic, payload, id -> Optional.ofNullable(known.get(id)));
    }

    private static Decoded.Report report(List<Decoded> decoded) {
        return decoded.stream().filter(Decoded.Report.class::isInstance).map(Decoded.Report.class::cast).findFirst().orElseThrow();
    }

    private void assertReason(String topic, byte[] payload, RejectReason reason) {
        assertThatThrownBy(() -> decode(topic, payload)).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private long event(String name) {
        return events.getOrDefault(name, 0L);
    }

    /** The climate sensor's DBIRTH: two metrics in a folder with aliases and units, and hardware properties. */
    private byte[] climateBirth(float temperature, String unit) throws Exception {
        return node.message(true,
                metric("Sensors/Temperature", 1L, MetricDataType.Float, temperature, unit),
                metric("Sensors/Humidity", 2L, MetricDataType.Float, 40.0f, "%"),
                metric("Properties/Hardware Make", 3L, MetricDataType.String, "Acme", null),
                metric("Properties/Hardware Model", 4L, MetricDataType.String, "TH-10", null),
                metric("Status/Uptime", 5L, MetricDataType.UInt64, BigInteger.valueOf(3600), "s"));
    }

    private void born() throws Exception {
        assertThat(decode(node.topic("NBIRTH"), node.nbirth())).singleElement().isInstanceOf(Decoded.Ignored.class);
        decode(node.topic("DBIRTH", "th-1"), climateBirth(21.5f, "°C"));
    }

    @Test
    void subscribesToTheConfiguredGroups() {
        assertThat(dialect.subscriptions()).containsExactly("spBv1.0/#");
        SparkplugDialect two = new SparkplugDialect(List.of("line-1", "line-2"), "plant", List.of(), TestModels.mapper(), Duration.ofSeconds(1),
                now::get, sent::add, e -> { });
        assertThat(two.subscriptions()).containsExactly("spBv1.0/line-1/#", "spBv1.0/line-2/#");
        assertThat(two.claims("spBv1.0/line-2/DDATA/gw/dev")).isTrue();
        assertThat(two.claims("spBv1.0/line-3/DDATA/gw/dev")).isFalse();
    }

    @Test
    void anNbirthOfAGatewayWithoutSensorsMakesNoTwin() throws Exception {
        List<Decoded> d = decode(node.topic("NBIRTH"), node.nbirth());

        assertThat(d).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(dialect.nodes()).containsEntry("line-1/gateway-7", true);
        assertThat(event(SparkplugDialect.BIRTHS)).isEqualTo(1);
    }

    @Test
    void aDbirthAnnouncesTheDeviceWithItsModelValuesAndAttributes() throws Exception {
        decode(node.topic("NBIRTH"), node.nbirth());

        List<Decoded> d = decode(node.topic("DBIRTH", "th-1"), climateBirth(21.5f, "°C"));

        ThingId id = ThingId.of("plant", "spb-line-1:gateway-7:th-1");
        assertThat(d).hasSize(2);
        assertThat(d.get(0)).isEqualTo(new Decoded.Availability(id, true));
        Decoded.Report r = report(d);
        assertThat(r.thingId()).isEqualTo(id);
        assertThat(r.model()).isEqualTo(TH);
        assertThat(r.attach()).isTrue();
        assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
        assertThat(Json.write(r.features().get("humidity"))).isEqualTo("{\"value\":40}");
        assertThat(Json.write(r.attributes())).isEqualTo("{\"sparkplug\":{\"groupId\":\"line-1\",\"edgeNodeId\":\"gateway-7\",\"deviceId\":\"th-1\","
                + "\"properties\":{\"Hardware Make\":\"Acme\",\"Hardware Model\":\"TH-10\"}}}");
        assertThat(r.configuration().getOrNull("address")).isEqualTo(JsonValue.of("line-1/gateway-7/th-1"));
        assertThat(r.configuration().getOrNull("deviceId")).isEqualTo(JsonValue.of("th-1"));
    }

    @Test
    void ddataNamesMetricsByAliasWithoutDataTypes() throws Exception {
        born();

        Decoded.Report r = report(decode(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 22.25f))));

        assertThat(r.features()).containsOnlyKeys("temperature");
        assertThat(Json.write(r.features().get("temperature"))).isEqualTo("{\"value\":22.25}");
        // a DDATA that names its metric and carries its data type is read the same way
        Decoded.Report named = report(decode(node.topic("DDATA", "th-1"),
                node.message(true, metric("Sensors/Humidity", null, MetricDataType.Float, 41.5f, null))));
        assertThat(Json.write(named.features().get("humidity"))).isEqualTo("{\"value\":41.5}");
        assertThat(event(SparkplugDialect.SEQUENCE_GAPS)).isZero();
    }

    @Test
    void unitsFromTheBirthAreConvertedIntoTheModelsUnits() throws Exception {
        decode(node.topic("NBIRTH"), node.nbirth());

        Decoded.Report birth = report(decode(node.topic("DBIRTH", "th-f"), climateBirth(70.7f, "°F")));
        Decoded.Report data = report(decode(node.topic("DDATA", "th-f"), node.message(false, aliased(1, MetricDataType.Float, 77.0f))));

        assertThat(Json.write(birth.features().get("temperature"))).isEqualTo("{\"value\":21.5}");
        assertThat(Json.write(data.features().get("temperature"))).isEqualTo("{\"value\":25.0}");
    }

    @Test
    void sequenceNumbersWrapAfter255AndAGapRequestsOneRebirth() throws Exception {
        born();
        for (int i = 0; i < 300; i++) {
            decode(node.topic("DDATA", "th-1"), node.message(false, aliased(2, MetricDataType.Float, 40.0f)));
        }
        assertThat(event(SparkplugDialect.SEQUENCE_GAPS)).isZero();
        assertThat(sent).isEmpty();

        node.lose(3);
        Decoded.Report afterGap = report(decode(node.topic("DDATA", "th-1"), node.message(false, aliased(2, MetricDataType.Float, 42.0f))));
        node.lose(1);
        decode(node.topic("DDATA", "th-1"), node.message(false, aliased(2, MetricDataType.Float, 43.0f)));

        // the values are the newest the node has: they are mapped; the gap is counted and one rebirth requested
        assertThat(Json.write(afterGap.features().get("humidity"))).isEqualTo("{\"value\":42}");
        assertThat(event(SparkplugDialect.SEQUENCE_GAPS)).isEqualTo(2);
        assertThat(event(SparkplugDialect.REBIRTH_REQUESTS)).isEqualTo(1);
        assertRebirthRequest(sent.get(0));

        now.addAndGet(10_000);
        node.lose(1);
        decode(node.topic("DDATA", "th-1"), node.message(false, aliased(2, MetricDataType.Float, 44.0f)));
        assertThat(event(SparkplugDialect.REBIRTH_REQUESTS)).isEqualTo(2);
    }

    private void assertRebirthRequest(Outbound o) throws Exception {
        assertThat(o.topic()).isEqualTo("spBv1.0/line-1/NCMD/gateway-7");
        assertThat(o.qos()).isZero();
        assertThat(o.retained()).isFalse();
        SparkplugBPayload p = SparkplugEdgeNode.decode(o.payload());
        assertThat(p.getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("Node Control/Rebirth");
            assertThat(m.getDataType()).isEqualTo(MetricDataType.Boolean);
            assertThat(m.getValue()).isEqualTo(true);
        });
    }

    @Test
    void dataBeforeBirthIsRefusedAndARebirthRequested() throws Exception {
        assertReason(node.topic("NDATA"), node.withSeq(1, aliased(1, MetricDataType.Float, 1f)), RejectReason.NO_BIRTH);
        assertReason(node.topic("DDATA", "th-1"), node.withSeq(2, aliased(1, MetricDataType.Float, 1f)), RejectReason.NO_BIRTH);
        assertThat(event(SparkplugDialect.REBIRTH_REQUESTS)).isEqualTo(1);
        assertRebirthRequest(sent.get(0));

        // the node is born, but this device's DBIRTH was not seen
        decode(node.topic("NBIRTH"), node.nbirth());
        assertReason(node.topic("DDATA", "th-9"), node.message(false, aliased(1, MetricDataType.Float, 1f)), RejectReason.NO_BIRTH);
    }

    @Test
    void anAliasTheBirthDidNotDefineIsRefusedAndTheSequenceGoesOn() throws Exception {
        born();

        assertReason(node.topic("DDATA", "th-1"), node.message(false, aliased(99, MetricDataType.Float, 1f)), RejectReason.UNKNOWN_ALIAS);
        assertReason(node.topic("DDATA", "th-1"), node.message(true, metric("Sensors/Pressure", null, MetricDataType.Float, 1013f, null)),
                RejectReason.UNKNOWN_ALIAS);

        // the refused messages were in sequence: the next one is no gap
        report(decode(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 20f))));
        assertThat(event(SparkplugDialect.SEQUENCE_GAPS)).isZero();
    }

    @Test
    void protobufGarbageAndMissingSequenceNumbersAreMalformed() throws Exception {
        born();

        assertReason(node.topic("DDATA", "th-1"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, RejectReason.MALFORMED_PAYLOAD);
        assertReason(node.topic("DDATA", "th-1"), "{\"temperature\":21.5}".getBytes(StandardCharsets.UTF_8), RejectReason.MALFORMED_PAYLOAD);
        assertReason(node.topic("NBIRTH"), new byte[] {0x0a}, RejectReason.MALFORMED_PAYLOAD);
        // a well-formed payload without seq
        assertReason(node.topic("DDATA", "th-1"), node.ndeath(), RejectReason.MALFORMED_PAYLOAD);
        // a BIRTH metric without a data type
        assertReason(node.topic("DBIRTH", "th-2"), node.withSeq(node.lastSeq() + 1, metric("Sensors/Temperature", 1L, MetricDataType.Float, 1f, null)),
                RejectReason.MALFORMED_PAYLOAD);
    }

    @Test
    void anNdeathWithTheBirthsBdSeqTakesTheNodeAndItsDevicesOffline() throws Exception {
        born();

        // the will of an earlier session arrives late: ignored, counted
        assertThat(decode(node.topic("NDEATH"), node.ndeath(2))).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(event(SparkplugDialect.STALE_DEATHS)).isEqualTo(1);
        assertThat(dialect.nodes()).containsEntry("line-1/gateway-7", true);

        List<Decoded> d = decode(node.topic("NDEATH"), node.ndeath());

        assertThat(d).containsExactly(new Decoded.Availability(ThingId.of("plant", "spb-line-1:gateway-7"), false),
                new Decoded.Availability(ThingId.of("plant", "spb-line-1:gateway-7:th-1"), false));
        assertThat(dialect.nodes()).containsEntry("line-1/gateway-7", false);
        assertReason(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 1f)), RejectReason.NO_BIRTH);

        // the node comes back with a new bdSeq: its devices are back with their DBIRTH
        node.bdSeq = 4;
        decode(node.topic("NBIRTH"), node.nbirth());
        assertThat(decode(node.topic("DBIRTH", "th-1"), climateBirth(21f, "°C")).get(0))
                .isEqualTo(new Decoded.Availability(ThingId.of("plant", "spb-line-1:gateway-7:th-1"), true));
    }

    @Test
    void devicesOfAnEarlierSessionWaitForTheirDbirthAndGoOfflineWithTheNode() throws Exception {
        born();
        decode(node.topic("NBIRTH"), node.nbirth()); // a rebirth: th-1 has not sent its DBIRTH again yet

        assertReason(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 1f)), RejectReason.NO_BIRTH);
        assertThat(decode(node.topic("NDEATH"), node.ndeath()))
                .contains(new Decoded.Availability(ThingId.of("plant", "spb-line-1:gateway-7:th-1"), false));
    }

    @Test
    void aDdeathTakesItsDeviceOfflineUntilItsNextBirth() throws Exception {
        born();

        List<Decoded> d = decode(node.topic("DDEATH", "th-1"), node.message(false));

        assertThat(d).containsExactly(new Decoded.Availability(ThingId.of("plant", "spb-line-1:gateway-7:th-1"), false));
        assertReason(node.topic("DDATA", "th-1"), node.message(false, aliased(1, MetricDataType.Float, 1f)), RejectReason.NO_BIRTH);
        assertThat(decode(node.topic("DDEATH", "unknown"), node.message(false))).singleElement().isInstanceOf(Decoded.Ignored.class);
    }

    @Test
    void anEdgeNodeWhoseOwnMetricsFitAModelIsATwinItself() throws Exception {
        Decoded.Report r = report(decode(node.topic("NBIRTH"), node.nbirth(metric("Temperature", 10L, MetricDataType.Double, 19.5, "degC"))));

        assertThat(r.thingId()).isEqualTo(ThingId.of("plant", "spb-line-1:gateway-7"));
        assertThat(r.configuration().getOrNull("deviceId")).isNull();
        Decoded.Report data = report(decode(node.topic("NDATA"), node.message(false, aliased(10, MetricDataType.Double, 20.25))));
        assertThat(Json.write(data.features().get("temperature"))).isEqualTo("{\"value\":20.25}");
    }

    @Test
    void aDeviceWhoseMetricsFitNoModelIsUnknown() throws Exception {
        decode(node.topic("NBIRTH"), node.nbirth());

        assertReason(node.topic("DBIRTH", "valve"), node.message(true, metric("Position", 1L, MetricDataType.Int32, 40, "%")),
                RejectReason.UNKNOWN_DEVICE);
    }

    @Test
    void desiredPropertiesBecomeADcmdInTheMetricsDataType() throws Exception {
        decode(node.topic("NBIRTH"), node.nbirth());
        Decoded.Report r = report(decode(node.topic("DBIRTH", "plug-1"), node.message(true,
                metric("Outputs/Relay", 1L, MetricDataType.Boolean, false, null),
                metric("Meter/Power", 2L, MetricDataType.Double, 0.35, "kW"),
                metric("Meter/Energy", 3L, MetricDataType.Double, 1520.0, "Wh"))));
        assertThat(r.model()).isEqualTo(PLUG);
        assertThat(Json.write(r.features().get("energy"))).isEqualTo("{\"power\":350.0,\"energy\":1.52}");

        List<Outbound> out = dialect.encode(new Dialect.DeviceRef(r.thingId(), PLUG, r.configuration()), "switch",
                JsonObject.of("on", JsonValue.of(true)));

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo("spBv1.0/line-1/DCMD/gateway-7/plug-1");
            assertThat(o.qos()).isZero();
            Metric m = SparkplugEdgeNode.decode(o.payload()).getMetrics().get(0);
            assertThat(m.getName()).isEqualTo("Outputs/Relay");
            assertThat(m.getDataType()).isEqualTo(MetricDataType.Boolean);
            assertThat(m.getValue()).isEqualTo(true);
        });
        assertThatThrownBy(() -> dialect.encode(new Dialect.DeviceRef(r.thingId(), PLUG, r.configuration()), "switch",
                JsonObject.of("on", JsonValue.of("yes")))).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.WRONG_TYPE));
        assertThat(dialect.encode(new Dialect.DeviceRef(r.thingId(), PLUG, r.configuration()), "energy",
                JsonObject.of("power", JsonValue.of(5)))).isEmpty();
        assertThatThrownBy(() -> SparkplugMetrics.toDevice(MetricDataType.UInt8, JsonValue.of(300), "x"))
                .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.reason()).isEqualTo(RejectReason.OUT_OF_RANGE));
    }

    @Test
    void aCommandForADeviceWhoseBirthWasNotSeenAsksForARebirth() throws Exception {
        JsonObject config = JsonObject.newBuilder().set("groupId", "line-1").set("edgeNodeId", "gateway-7").set("deviceId", "plug-1")
                .set("address", "line-1/gateway-7/plug-1").build();

        assertThatThrownBy(() -> dialect.encode(new Dialect.DeviceRef(ThingId.of("plant:spb-line-1:gateway-7:plug-1"), PLUG, config), "switch",
                JsonObject.of("on", JsonValue.of(true)))).isInstanceOfSatisfying(RejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.NO_BIRTH));
        assertThat(event(SparkplugDialect.REBIRTH_REQUESTS)).isEqualTo(1);
    }

    @Test
    void hostStateCommandsAndRecordsAreIgnoredOtherTopicsRefused() throws Exception {
        byte[] state = "{\"online\":true,\"timestamp\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(decode("spBv1.0/STATE/scada-1", state)).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(decode(node.topic("NCMD"), new byte[0])).singleElement().isInstanceOf(Decoded.Ignored.class);
        assertThat(decode(node.topic("DCMD", "th-1"), new byte[0])).singleElement().isInstanceOf(Decoded.Ignored.class);

        assertReason("spBv1.0/line-1/NFOO/gateway-7", new byte[0], RejectReason.UNKNOWN_TOPIC);
        assertReason("spBv1.0/line-1/DDATA/gateway-7", new byte[0], RejectReason.UNKNOWN_TOPIC);
        assertReason("spBv1.0/line-1/NDATA/gateway-7/extra", new byte[0], RejectReason.UNKNOWN_TOPIC);
        assertReason("spBv1.0/line-1/NDATA", new byte[0], RejectReason.UNKNOWN_TOPIC);
        assertReason("spBv1.0//NDATA/gateway-7", new byte[0], RejectReason.UNKNOWN_TOPIC);
    }
}
