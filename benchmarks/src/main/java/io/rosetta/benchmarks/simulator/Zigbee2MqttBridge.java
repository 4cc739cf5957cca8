package io.rosetta.benchmarks.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The Zigbee2MQTT bridge itself: {@code bridge/state} (its MQTT last will is the offline state),
 * {@code bridge/info} and the retained {@code bridge/devices} list with the coordinator and every
 * device's definition and exposes — Zigbee2MQTT's discovery.
 */
final class Zigbee2MqttBridge {

    private final String base;
    private final List<Zigbee2MqttDevice> devices;

    Zigbee2MqttBridge(String base, List<Zigbee2MqttDevice> devices) {
        this.base = base;
        this.devices = List.copyOf(devices);
    }

    List<Message> announce() {
        List<Message> out = new ArrayList<>();
        out.add(Message.retained(base + "/bridge/state", "{\"state\":\"online\"}"));
        out.add(Message.retained(base + "/bridge/info", "{\"commit\":\"9a8c5ab\",\"config\":{\"advanced\":{\"last_seen\":\"disable\","
                + "\"log_level\":\"info\"},\"availability\":{\"enabled\":true}},\"coordinator\":{\"ieee_address\":\"0x00124b0018e2a5ac\","
                + "\"meta\":{\"maintrel\":1,\"majorrel\":2,\"minorrel\":7,\"product\":1,\"revision\":20210708,\"transportrev\":2},"
                + "\"type\":\"zStack3x0\"},\"log_level\":\"info\",\"network\":{\"channel\":11,\"extended_pan_id\":\"0xdddddddddddddddd\","
                + "\"pan_id\":6754},\"permit_join\":false,\"restart_required\":false,\"version\":\"1.40.2\"}"));
        out.add(devicesMessage());
        return out;
    }

    /** {@code bridge/devices}: the coordinator first, then every device. */
    Message devicesMessage() {
        StringBuilder b = new StringBuilder(1024 + devices.size() * 1200);
        b.append("[{\"definition\":null,\"disabled\":false,\"endpoints\":{},\"friendly_name\":\"Coordinator\",")
                .append("\"ieee_address\":\"0x00124b0018e2a5ac\",\"interview_completed\":true,\"interviewing\":false,")
                .append("\"network_address\":0,\"supported\":false,\"type\":\"Coordinator\"}");
        for (Zigbee2MqttDevice d : devices) {
            b.append(',').append(d.bridgeEntry());
        }
        b.append(']');
        return Message.retained(base + "/bridge/devices", b.toString());
    }

    /** The bridge's MQTT last will, set on the connection that carries it. */
    Message will() {
        return Message.retained(base + "/bridge/state", "{\"state\":\"offline\"}");
    }
}
