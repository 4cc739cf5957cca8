package io.rosetta.benchmarks.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * A Homie 4.0 device (as homie-esp8266 v3 or Homie for ESP32 publish it): its description as
 * retained attributes in the order the convention gives — {@code $homie}, {@code $name},
 * {@code $state init}, {@code $nodes}, each node's {@code $name}/{@code $type}/{@code $properties}, each
 * property's {@code $name}/{@code $datatype}/{@code $unit}/{@code $settable} — then the property values
 * (plain text, retained) and {@code $state ready}. A climate sensor has node {@code climate}
 * (temperature in °C or °F, humidity, battery), a plug node {@code relay} (settable {@code on}, power,
 * energy, voltage, current). {@code …/on/set} is answered by publishing the new value.
 */
final class HomieDevice extends SimDevice {

    static final String DIALECT = "homie";

    private final String base;
    private final String id;
    private final String node;

    HomieDevice(String base, Kind kind, int index, long seed) {
        super(kind, index, seed, kind == Kind.CLIMATE && index % 4 == 3);
        this.base = base;
        this.id = (kind == Kind.PLUG ? "plug-" : "climate-") + String.format("%04d", index);
        this.node = kind == Kind.PLUG ? "relay" : "climate";
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    String deviceId() {
        return id;
    }

    @Override
    public String thingName() {
        return "homie-" + id;
    }

    private String topic(String rest) {
        return base + "/" + id + "/" + rest;
    }

    private List<String[]> properties() {
        // id, name, datatype, unit, settable
        if (kind == Kind.PLUG) {
            return List.of(
                    new String[] {"on", "Relay", "boolean", null, "true"},
                    new String[] {"power", "Power", "float", "W", null},
                    new String[] {"energy", "Energy", "float", "kWh", null},
                    new String[] {"voltage", "Voltage", "float", "V", null},
                    new String[] {"current", "Current", "float", "A", null});
        }
        return List.of(
                new String[] {"temperature", "Temperature", "float", fahrenheit ? "°F" : "°C", null},
                new String[] {"humidity", "Humidity", "float", "%", null},
                new String[] {"battery", "Battery", "integer", "%", null});
    }

    @Override
    public List<Message> announce() {
        List<Message> out = new ArrayList<>();
        out.add(Message.retained(base + "/" + id + "/$homie", "4.0.0"));
        out.add(Message.retained(base + "/" + id + "/$name", kind == Kind.PLUG ? "Plug " + index : "Climate " + index));
        out.add(Message.retained(base + "/" + id + "/$state", "init"));
        out.add(Message.retained(base + "/" + id + "/$nodes", node));
        out.add(Message.retained(base + "/" + id + "/$extensions", "org.homie.legacy-firmware:0.1.1:[4.x]"));
        out.add(Message.retained(topic(node + "/$name"), kind == Kind.PLUG ? "Relay" : "Climate"));
        out.add(Message.retained(topic(node + "/$type"), kind == Kind.PLUG ? "relay" : "sht31"));
        List<String[]> props = properties();
        out.add(Message.retained(topic(node + "/$properties"), String.join(",", props.stream().map(p -> p[0]).toList())));
        for (String[] p : props) {
            out.add(Message.retained(topic(node + "/" + p[0] + "/$name"), p[1]));
            if (p[3] != null) {
                out.add(Message.retained(topic(node + "/" + p[0] + "/$unit"), p[3]));
            }
            if (p[4] != null) {
                out.add(Message.retained(topic(node + "/" + p[0] + "/$settable"), p[4]));
            }
            out.add(Message.retained(topic(node + "/" + p[0] + "/$datatype"), p[2]));
        }
        for (String[] p : props) {
            out.add(value(p[0]));
        }
        out.add(Message.retained(base + "/" + id + "/$state", "ready"));
        return out;
    }

    @Override
    public Message telemetry() {
        // one property per message, as Homie publishes; the slow ones less often
        List<String> cycle = kind == Kind.PLUG
                ? List.of("power", "current", "power", "energy", "power", "voltage")
                : List.of("temperature", "humidity", "temperature", "humidity", "temperature", "humidity", "battery");
        String property = cycle.get((int) (reports % cycle.size()));
        advance();
        return value(property);
    }

    Message value(String property) {
        String text;
        Mark mark = null;
        switch (property) {
            case "temperature" -> {
                double t = JsonText.round(temperatureInUnit(), 2);
                text = JsonText.fixed(t, 2);
                mark = fahrenheit ? null : new Mark("temperature", "value", t);
            }
            case "humidity" -> {
                double h = JsonText.round(humidity.value(), 2);
                text = JsonText.fixed(h, 2);
                mark = new Mark("humidity", "value", h);
            }
            case "battery" -> {
                text = Integer.toString(batteryPercent());
                mark = new Mark("device", "batteryLevel", batteryPercent());
            }
            case "on" -> text = Boolean.toString(on);
            case "power" -> {
                double p = JsonText.round(power(), 2);
                text = JsonText.fixed(p, 2);
                mark = new Mark("energy", "power", p);
            }
            case "energy" -> {
                double e = JsonText.round(energyKWh, 4);
                text = JsonText.fixed(e, 4);
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
            default -> throw new IllegalArgumentException(property);
        }
        return Message.retained(topic(node + "/" + property), text).marked(mark);
    }

    @Override
    public List<Message> offline() {
        return List.of(Message.retained(base + "/" + id + "/$state", "disconnected"));
    }

    @Override
    public List<String> commandTopics() {
        return kind == Kind.PLUG ? List.of(topic(node + "/on/set")) : List.of();
    }

    @Override
    public List<Message> command(String topic, byte[] payload) {
        String v = text(payload);
        if (!"true".equals(v) && !"false".equals(v)) {
            throw new IllegalArgumentException("a boolean property takes true or false, not " + v);
        }
        setOn(Boolean.parseBoolean(v));
        return List.of(value("on"), value("power"));
    }
}
