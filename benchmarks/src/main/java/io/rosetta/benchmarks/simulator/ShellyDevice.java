package io.rosetta.benchmarks.simulator;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A Shelly Gen2 device (RPC API over MQTT, firmware 1.x): a Plus H&T (climate) or a Plus Plug S.
 * Its last will {@code <id>/online} {@code true}/{@code false} (retained); {@code NotifyFullStatus} on
 * {@code <id>/events/rpc} when it connects, then {@code NotifyStatus} frames with only the components
 * and fields that changed; JSON-RPC requests on {@code <id>/rpc} ({@code Switch.Set}, {@code Switch.Toggle},
 * {@code Shelly.GetStatus}) answered on {@code <src>/rpc}, followed by the status change.
 */
final class ShellyDevice extends SimDevice {

    static final String DIALECT = "shelly";

    private final String id;
    private final String mac;
    private final long bootMillis = System.currentTimeMillis();

    ShellyDevice(Kind kind, int index, long seed) {
        super(kind, index, seed, false);
        this.mac = String.format("a8032a%06x", 0x100000 + index);
        this.id = (kind == Kind.PLUG ? "shellyplusplugs-" : "shellyplusht-") + mac;
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    String id() {
        return id;
    }

    @Override
    public String thingName() {
        return "shelly-" + id;
    }

    private double ts() {
        return System.currentTimeMillis() / 1000.0;
    }

    @Override
    public List<Message> announce() {
        return List.of(Message.retained(id + "/online", "true"), notify("NotifyFullStatus", fullStatus(), null));
    }

    @Override
    public Message telemetry() {
        advance();
        JsonText params = JsonText.object().num("ts", ts(), 2);
        Mark mark;
        if (kind == Kind.PLUG) {
            double p = JsonText.round(power(), 1);
            params.begin("switch:0").num("id", 0).num("apower", p, 1).num("current", current(), 3).num("voltage", voltage.value(), 1)
                    .begin("aenergy").num("total", energyKWh * 1000, 3).raw("by_minute", "[0.000,0.000,0.000]")
                    .num("minute_ts", System.currentTimeMillis() / 60000 * 60).end().end();
            mark = new Mark("energy", "power", p);
        } else {
            double h = JsonText.round(humidity.value(), 1);
            params.begin("humidity:0").num("id", 0).num("rh", h, 1).end()
                    .begin("temperature:0").num("id", 0).num("tC", temperatureC(), 1).num("tF", temperatureC() * 9 / 5 + 32, 1).end();
            mark = new Mark("humidity", "value", h);
        }
        return notify("NotifyStatus", params.text(), mark);
    }

    private Message notify(String method, String params, Mark mark) {
        String frame = "{\"src\":\"" + id + "\",\"dst\":\"" + id + "/events\",\"method\":\"" + method + "\",\"params\":" + params + "}";
        return Message.of(id + "/events/rpc", frame).marked(mark);
    }

    /** The whole status, as {@code NotifyFullStatus} and {@code Shelly.GetStatus} carry it. */
    String fullStatus() {
        JsonText j = JsonText.object().num("ts", ts(), 2).raw("ble", "{}").begin("cloud").bool("connected", false).end();
        if (kind == Kind.PLUG) {
            j.begin("switch:0").num("id", 0).str("source", "init").bool("output", on).num("apower", power(), 1)
                    .num("voltage", voltage.value(), 1).num("current", current(), 3)
                    .begin("aenergy").num("total", energyKWh * 1000, 3).raw("by_minute", "[0.000,0.000,0.000]")
                    .num("minute_ts", System.currentTimeMillis() / 60000 * 60).end()
                    .begin("temperature").num("tC", 38.5, 1).num("tF", 101.3, 1).end().end();
        } else {
            j.begin("devicepower:0").num("id", 0).begin("battery").num("V", 5.2 + battery / 100, 2).num("percent", batteryPercent()).end()
                    .begin("external").bool("present", false).end().end()
                    .raw("ht_ui", "{}")
                    .begin("humidity:0").num("id", 0).num("rh", humidity.value(), 1).end();
        }
        j.begin("mqtt").bool("connected", true).end()
                .begin("sys").str("mac", mac.toUpperCase(java.util.Locale.ROOT)).bool("restart_required", false)
                .num("uptime", (System.currentTimeMillis() - bootMillis) / 1000).num("ram_size", 246_292).num("ram_free", 161_232)
                .num("fs_size", 458_752).num("fs_free", 102_400).num("cfg_rev", 10).num("kvs_rev", 0).num("webhook_rev", 0)
                .raw("available_updates", "{}").end();
        if (kind != Kind.PLUG) {
            j.begin("temperature:0").num("id", 0).num("tC", temperatureC(), 1).num("tF", temperatureC() * 9 / 5 + 32, 1).end();
        }
        j.begin("wifi").str("sta_ip", "192.168.1." + (10 + index % 240)).str("status", "got ip").str("ssid", "home")
                .num("rssi", signal).end().begin("ws").bool("connected", false).end();
        return j.text();
    }

    @Override
    public List<Message> offline() {
        return List.of(Message.retained(id + "/online", "false"));
    }

    @Override
    public List<String> commandTopics() {
        return List.of(id + "/rpc");
    }

    @Override
    public List<Message> command(String topic, byte[] payload) {
        JsonObject request = json(payload);
        JsonValue rid = request.getOrNull("id");
        String src = request.getOrNull("src") instanceof JsonString s ? s.value() : null;
        String method = request.getOrNull("method") instanceof JsonString m ? m.value() : null;
        JsonObject params = request.getOrNull("params") instanceof JsonObject p ? p : JsonObject.empty();
        if (src == null || method == null) {
            throw new IllegalArgumentException("a JSON-RPC request needs src and method");
        }
        String head = "{\"id\":" + (rid == null ? "null" : rid.toString()) + ",\"src\":\"" + id + "\",\"dst\":" + JsonText.quote(src) + ",";
        List<Message> out = new ArrayList<>();
        switch (method) {
            case "Switch.Set", "Switch.Toggle" -> {
                if (kind != Kind.PLUG || !(params.getOrNull("id") instanceof JsonNumber n) || n.longValue() != 0) {
                    out.add(Message.of(src + "/rpc", head + "\"error\":{\"code\":-105,\"message\":\"Argument 'id', value "
                            + params.getOrNull("id") + " not found!\"}}"));
                    return out;
                }
                boolean was = on;
                if ("Switch.Toggle".equals(method)) {
                    setOn(!on);
                } else if (params.getOrNull("on") instanceof JsonBoolean b) {
                    setOn(b.value());
                } else {
                    out.add(Message.of(src + "/rpc", head + "\"error\":{\"code\":-103,\"message\":\"Missing required argument 'on'!\"}}"));
                    return out;
                }
                out.add(Message.of(src + "/rpc", head + "\"result\":{\"was_on\":" + was + "}}"));
                if (was != on) {
                    out.add(notify("NotifyStatus", JsonText.object().num("ts", ts(), 2).begin("switch:0").num("id", 0).bool("output", on)
                            .num("apower", power(), 1).num("current", current(), 3).str("source", "MQTT").end().text(), null));
                }
            }
            case "Shelly.GetStatus" -> out.add(Message.of(src + "/rpc", head + "\"result\":" + fullStatus() + "}"));
            default -> out.add(Message.of(src + "/rpc", head + "\"error\":{\"code\":404,\"message\":\"No handler for " + method + "\"}}"));
        }
        return out;
    }
}
