package io.rosetta.benchmarks.simulator;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonObject;
import java.util.List;

/**
 * A device nobody anticipated, read by a generic JSON mapping (the ones in
 * {@code benchmarks/scripts/etc/}): a climate sensor that reports {@code {"env":{"temp":70.7,"rh":40.0},"bat":{"pct":87}}}
 * in °F on {@code acme/<id>/telemetry}, and a metering relay reporting {@code {"relay":true,"p":56.3,"e":1.514,"v":231.2,"i":0.244}}
 * on {@code acme/<id>/meter} that takes {@code {"relay":false}} on {@code acme/<id>/set}.
 */
final class GenericJsonDevice extends SimDevice {

    static final String DIALECT = "generic";

    private final String id;

    GenericJsonDevice(Kind kind, int index, long seed) {
        super(kind, index, seed, true);
        this.id = (kind == Kind.PLUG ? "relay-" : "th-") + String.format("%04d", index);
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
        return "acme-" + id;
    }

    @Override
    public List<Message> announce() {
        return List.of(report());
    }

    @Override
    public Message telemetry() {
        advance();
        return report();
    }

    Message report() {
        if (kind == Kind.PLUG) {
            double p = JsonText.round(power(), 1);
            JsonText j = JsonText.object().bool("relay", on).num("p", p, 1).num("e", energyKWh, 3).num("v", voltage.value(), 1)
                    .num("i", current(), 3).num("uptime", reports * 10);
            return new Message("acme/" + id + "/meter", j.bytes(), false, new Mark("energy", "power", p));
        }
        double h = JsonText.round(humidity.value(), 1);
        JsonText j = JsonText.object().begin("env").num("temp", temperatureInUnit(), 1).num("rh", h, 1).end()
                .begin("bat").num("pct", batteryPercent()).num("mv", 2900 + batteryPercent() * 3L).end().str("fw", "2.1.0");
        return new Message("acme/" + id + "/telemetry", j.bytes(), false, new Mark("humidity", "value", h));
    }

    @Override
    public List<Message> offline() {
        return List.of();
    }

    @Override
    public List<String> commandTopics() {
        return kind == Kind.PLUG ? List.of("acme/" + id + "/set") : List.of();
    }

    @Override
    public List<Message> command(String topic, byte[] payload) {
        JsonObject set = json(payload);
        if (!(set.getOrNull("relay") instanceof JsonBoolean b)) {
            throw new IllegalArgumentException("expected {\"relay\":true|false}");
        }
        setOn(b.value());
        return List.of(report());
    }
}
