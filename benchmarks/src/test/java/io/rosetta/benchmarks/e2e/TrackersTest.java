package io.rosetta.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.benchmarks.simulator.Fleet;
import io.rosetta.benchmarks.simulator.Message;
import io.rosetta.benchmarks.simulator.SimDevice;
import io.rosetta.benchmarks.simulator.SimulatorOptions;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackersTest {

    private static final long MS = 1_000_000L;

    /** The features part of an SSE event as the binding's report of {@code m} makes it. */
    private static JsonObject event(Message m) {
        return Json.parseObject("{\"" + m.mark().feature() + "\":{\"properties\":{\"" + m.mark().property() + "\":"
                + Json.write(io.rosetta.core.json.JsonValue.of(m.mark().value())) + ",\"other\":\"x\"}}}");
    }

    @Test
    void marksAreMatchedInOrderAndSkippedOnesCountAsLost() {
        Fleet fleet = new Fleet(SimulatorOptions.parse(new String[] {"--dialects", "zigbee2mqtt", "--devices", "1", "--toggle-chance", "0"}));
        SimDevice d = fleet.devices().get(0);
        MarkTracker t = new MarkTracker();
        t.register(d);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Message m = d.telemetry().marked(new io.rosetta.benchmarks.simulator.Mark("humidity", "value", 40 + i / 100.0));
            sent.add(m);
            t.sent(d, m, i * MS);
        }
        t.interval();

        t.event(d.thingName(), event(sent.get(0)), 3 * MS);             // 3 ms late
        t.event(d.thingName(), Json.parseObject("{\"temperature\":{\"properties\":{\"value\":-99}}}"), 4 * MS); // another feature's event
        t.event(d.thingName(), event(sent.get(4)), 10 * MS);            // 1, 2, 3 were lost
        t.event("z2m-someone_else", event(sent.get(5)), 11 * MS);

        LatencyRecorder.Interval i = t.interval();
        assertThat(i.matched()).isEqualTo(2);
        assertThat(i.lost()).isEqualTo(3);
        assertThat(i.percentileMillis(0)).isEqualTo(3.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(i.maxMillis()).isEqualTo(6.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(t.unmatched()).isEqualTo(1);
        assertThat(t.sent()).isEqualTo(10);
    }

    @Test
    void aRepeatedMarkIsNotTimedAndALostOneIsNotTakenForTheNext() {
        Fleet fleet = new Fleet(SimulatorOptions.parse(new String[] {"--dialects", "zigbee2mqtt", "--devices", "4", "--toggle-chance", "0"}));
        SimDevice contact = fleet.devices().get(3); // a door contact: its mark is the battery, the same in every message
        MarkTracker t = new MarkTracker();
        Message a = contact.telemetry();
        Message b = contact.telemetry();
        Message c = contact.telemetry();
        assertThat(a.mark()).isEqualTo(b.mark());

        t.sent(contact, a, 0);
        t.event(contact.thingName(), event(a), 2 * MS); // delivered before the next message: timed
        t.sent(contact, b, 30_000 * MS);                 // a repeat: not timed
        t.event(contact.thingName(), event(b), 30_003 * MS);
        LatencyRecorder.Interval first = t.interval();
        assertThat(first.matched()).isEqualTo(1);
        assertThat(first.maxMillis()).isEqualTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(first.lost()).isZero();

        // the same mark again, not matched this time (lost); 30 s later the device repeats it and that event arrives
        Fleet other = new Fleet(SimulatorOptions.parse(new String[] {"--dialects", "zigbee2mqtt", "--devices", "4", "--toggle-chance", "0"}));
        SimDevice next = other.devices().get(3);
        MarkTracker u = new MarkTracker();
        u.sent(next, a, 0);
        u.sent(next, c, 30_000 * MS);
        u.event(next.thingName(), event(c), 30_004 * MS);
        LatencyRecorder.Interval i = u.interval();
        assertThat(i.lost()).as("the first message, unmatched when its mark came again").isEqualTo(1);
        assertThat(i.matched()).as("the repeat's event is not timed from the first send (30 s)").isZero();
        assertThat(u.sent()).isEqualTo(1);
        assertThat(u.untimed()).isEqualTo(1);
    }

    @Test
    void marksOlderThanAMinuteAreLostNotMatched() {
        Fleet fleet = new Fleet(SimulatorOptions.parse(new String[] {"--dialects", "zigbee2mqtt", "--devices", "1", "--toggle-chance", "0"}));
        SimDevice d = fleet.devices().get(0);
        MarkTracker t = new MarkTracker();
        Message a = d.telemetry();
        t.sent(d, a, 0);
        t.event(d.thingName(), event(a), 61_000 * MS);
        LatencyRecorder.Interval i = t.interval();
        assertThat(i.matched()).isZero();
        assertThat(i.lost()).isEqualTo(1);
    }

    @Test
    void topicsAreMatchedByPayload() {
        TopicTracker t = new TopicTracker();
        Message a = Message.of("tele/x/SENSOR", "{\"a\":1}");
        Message b = Message.of("tele/x/SENSOR", "{\"a\":2}");
        Message c = Message.of("tele/x/SENSOR", "{\"a\":3}");
        t.sent(a, 0);
        t.sent(b, MS);
        t.sent(c, 2 * MS);
        t.received("tele/x/SENSOR", a.payload(), MS / 2);
        t.received("tele/x/SENSOR", c.payload(), 4 * MS);
        t.received("tele/y/SENSOR", c.payload(), 4 * MS);
        LatencyRecorder.Interval i = t.interval();
        assertThat(i.matched()).isEqualTo(2);
        assertThat(i.lost()).isEqualTo(1);
        assertThat(i.delivered()).isEqualTo(2.0 / 3);
        assertThat(t.unmatched()).isEqualTo(1);
        assertThat(t.interval().matched()).as("an interval starts afresh").isZero();
    }
}
