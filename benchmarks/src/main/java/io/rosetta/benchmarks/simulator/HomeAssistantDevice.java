package io.rosetta.benchmarks.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * An ESPHome device (2024.x) with Home Assistant MQTT discovery: retained configs with abbreviated
 * keys on {@code homeassistant/<component>/<node>/<object>/config} ({@code dev_cla}, {@code unit_of_meas},
 * {@code stat_t}, {@code avty_t}, {@code dev.ids}), the availability {@code <node>/status}
 * {@code online}/{@code offline} (its birth message and last will), each entity's state as plain text on
 * {@code <node>/<component>/<object>/state}, and a switch's commands {@code ON}/{@code OFF} on
 * {@code <node>/switch/<object>/command}.
 */
final class HomeAssistantDevice extends SimDevice {

    static final String DIALECT = "homeassistant";

    private final String prefix;
    private final String node;
    private final String mac;

    HomeAssistantDevice(String prefix, Kind kind, int index, long seed) {
        super(kind, index, seed, false);
        this.prefix = prefix;
        this.node = (kind == Kind.PLUG ? "esp-plug-" : "esp-climate-") + String.format("%04d", index);
        this.mac = String.format("c8c9a3%06x", 0x200000 + index);
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    String node() {
        return node;
    }

    @Override
    public String thingName() {
        return "ha-" + mac;
    }

    private String device() {
        return "{\"ids\":\"" + mac + "\",\"name\":\"" + node + "\",\"sw\":\"esphome v2024.6.1 Jun 20 2024, 10:15:03\",\"mdl\":\""
                + (kind == Kind.PLUG ? "esp8285" : "esp32dev") + "\",\"mf\":\"espressif\"}";
    }

    private Message sensorConfig(String object, String name, String deviceClass, String unit) {
        String config = "{\"dev_cla\":\"" + deviceClass + "\",\"unit_of_meas\":" + JsonText.quote(unit) + ",\"stat_cla\":\"measurement\","
                + "\"name\":" + JsonText.quote(name) + ",\"stat_t\":\"" + node + "/sensor/" + object + "/state\",\"avty_t\":\"" + node
                + "/status\",\"uniq_id\":\"" + mac + "-sensor-" + object + "\",\"dev\":" + device() + "}";
        return Message.retained(prefix + "/sensor/" + node + "/" + object + "/config", config);
    }

    @Override
    public List<Message> announce() {
        List<Message> out = new ArrayList<>();
        if (kind == Kind.PLUG) {
            out.add(Message.retained(prefix + "/switch/" + node + "/relay/config", "{\"name\":\"Relay\",\"stat_t\":\"" + node
                    + "/switch/relay/state\",\"cmd_t\":\"" + node + "/switch/relay/command\",\"avty_t\":\"" + node + "/status\","
                    + "\"uniq_id\":\"" + mac + "-switch-relay\",\"dev\":" + device() + "}"));
            out.add(sensorConfig("power", "Power", "power", "W"));
            out.add(sensorConfig("energy", "Energy", "energy", "kWh"));
            out.add(sensorConfig("voltage", "Voltage", "voltage", "V"));
            out.add(sensorConfig("current", "Current", "current", "A"));
        } else {
            out.add(sensorConfig("temperature", "Temperature", "temperature", "°C"));
            out.add(sensorConfig("humidity", "Humidity", "humidity", "%"));
            out.add(sensorConfig("wifi_signal", "WiFi Signal", "signal_strength", "dBm"));
        }
        // the birth message: retained, so that whoever subscribes after reading the configs gets it
        out.add(Message.retained(node + "/status", "online"));
        if (kind == Kind.PLUG) {
            out.add(state("relay"));
            out.add(state("power"));
        } else {
            out.add(state("temperature"));
            out.add(state("humidity"));
        }
        return out;
    }

    @Override
    public Message telemetry() {
        List<String> cycle = kind == Kind.PLUG
                ? List.of("power", "current", "power", "energy", "power", "voltage")
                : List.of("temperature", "humidity", "temperature", "humidity", "wifi_signal");
        String object = cycle.get((int) (reports % cycle.size()));
        advance();
        return state(object);
    }

    Message state(String object) {
        String text;
        Mark mark;
        switch (object) {
            case "relay" -> {
                return Message.of(node + "/switch/relay/state", on ? "ON" : "OFF");
            }
            case "temperature" -> {
                double t = JsonText.round(temperatureC(), 1);
                text = JsonText.fixed(t, 1);
                mark = new Mark("temperature", "value", t);
            }
            case "humidity" -> {
                double h = JsonText.round(humidity.value(), 1);
                text = JsonText.fixed(h, 1);
                mark = new Mark("humidity", "value", h);
            }
            case "wifi_signal" -> {
                int s = signal + random.nextInt(-2, 3);
                text = Integer.toString(s);
                mark = new Mark("device", "signalStrength", s);
            }
            case "power" -> {
                double p = JsonText.round(power(), 1);
                text = JsonText.fixed(p, 1);
                mark = new Mark("energy", "power", p);
            }
            case "energy" -> {
                double e = JsonText.round(energyKWh, 3);
                text = JsonText.fixed(e, 3);
                mark = new Mark("energy", "energy", e);
            }
            case "voltage" -> {
                double v = JsonText.round(voltage.value(), 1);
                text = JsonText.fixed(v, 1);
                mark = new Mark("energy", "voltage", v);
            }
            case "current" -> {
                double c = JsonText.round(current(), 3);
                text = JsonText.fixed(c, 3);
                mark = new Mark("energy", "current", c);
            }
            default -> throw new IllegalArgumentException(object);
        }
        return Message.of(node + "/sensor/" + object + "/state", text).marked(mark);
    }

    @Override
    public List<Message> offline() {
        return List.of(Message.retained(node + "/status", "offline"));
    }

    @Override
    public List<String> commandTopics() {
        return kind == Kind.PLUG ? List.of(node + "/switch/relay/command") : List.of();
    }

    @Override
    public List<Message> command(String topic, byte[] payload) {
        String v = text(payload);
        switch (v) {
            case "ON" -> setOn(true);
            case "OFF" -> setOn(false);
            case "TOGGLE" -> setOn(!on);
            default -> throw new IllegalArgumentException("a switch takes ON, OFF or TOGGLE, not " + v);
        }
        return List.of(state("relay"), state("power"));
    }
}
