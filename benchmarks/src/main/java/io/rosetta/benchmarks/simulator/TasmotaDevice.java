package io.rosetta.benchmarks.simulator;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Tasmota (14.x) device with the default {@code FullTopic} {@code %prefix%/%topic%/}: LWT
 * {@code Online}/{@code Offline} on {@code tele/<topic>/LWT} (retained), {@code INFO1-3} at boot, then per
 * telemetry period {@code tele/<topic>/STATE} (uptime, heap, Wi-Fi, {@code POWER} on relays) and
 * {@code tele/<topic>/SENSOR} (a climate chip object such as {@code AM2301} or {@code SHT3X-0x44} with
 * {@code TempUnit}, or {@code ENERGY} of a metering plug). Commands on {@code cmnd/<topic>/<Command>}
 * are answered on {@code stat/<topic>/RESULT} (and {@code stat/<topic>/POWER}).
 */
final class TasmotaDevice extends SimDevice {

    static final String DIALECT = "tasmota";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final String topic;
    private final String chip;
    private final long bootMillis = System.currentTimeMillis();

    TasmotaDevice(Kind kind, int index, long seed) {
        super(kind, index, seed, kind == Kind.CLIMATE && index % 4 == 3);
        this.topic = String.format("tasmota_%06X", 0x8C0000 + index);
        this.chip = index % 3 == 0 ? "SHT3X-0x44" : "AM2301";
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    String topic() {
        return topic;
    }

    @Override
    public String thingName() {
        return "tasmota-" + topic;
    }

    private String module() {
        return kind == Kind.PLUG ? "Gosund SP111" : "Sonoff TH";
    }

    @Override
    public List<Message> announce() {
        String mac = String.format("8C:AA:B5:%02X:%02X:%02X", (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
        return List.of(
                Message.retained("tele/" + topic + "/LWT", "Online"),
                Message.of("tele/" + topic + "/INFO1", "{\"Info1\":{\"Module\":\"" + module() + "\",\"Version\":\"14.3.0(release-tasmota)\","
                        + "\"FallbackTopic\":\"cmnd/DVES_" + topic.substring(8) + "_fb/\",\"GroupTopic\":\"cmnd/tasmotas/\"}}"),
                Message.of("tele/" + topic + "/INFO2", "{\"Info2\":{\"WebServerMode\":\"Admin\",\"Hostname\":\"" + topic.replace('_', '-')
                        + "\",\"IPAddress\":\"192.168.1." + (10 + index % 240) + "\"}}"),
                Message.of("tele/" + topic + "/INFO3", "{\"Info3\":{\"RestartReason\":\"Software/System restart\",\"BootCount\":"
                        + (3 + index % 40) + ",\"Mac\":\"" + mac + "\"}}"),
                state(),
                sensor());
    }

    @Override
    public Message telemetry() {
        // Tasmota publishes STATE and then SENSOR every TelePeriod
        if (reports % 2 == 0) {
            advance();
            return sensor();
        }
        reports++;
        return state();
    }

    private String time() {
        return LocalDateTime.now().format(TIME);
    }

    Message state() {
        long up = Math.max(1, (System.currentTimeMillis() - bootMillis) / 1000);
        JsonText j = JsonText.object().str("Time", time())
                .str("Uptime", String.format("%dT%02d:%02d:%02d", up / 86400, (up / 3600) % 24, (up / 60) % 60, up % 60))
                .num("UptimeSec", up).num("Heap", 25 + random.nextInt(5)).str("SleepMode", "Dynamic").num("Sleep", 50)
                .num("LoadAvg", 19).num("MqttCount", 1);
        if (kind == Kind.PLUG) {
            j.str("POWER", on ? "ON" : "OFF");
        }
        int s = signal + random.nextInt(-2, 3);
        j.begin("Wifi").num("AP", 1).str("SSId", "home").str("BSSId", "30:B5:C2:11:22:33").num("Channel", 6).str("Mode", "11n")
                .num("RSSI", Math.max(0, Math.min(100, 2 * (s + 100)))).num("Signal", s).num("LinkCount", 1).str("Downtime", "0T00:00:03")
                .end();
        return new Message("tele/" + topic + "/STATE", j.bytes(), false, new Mark("device", "signalStrength", s));
    }

    Message sensor() {
        JsonText j = JsonText.object().str("Time", time());
        Mark mark;
        if (kind == Kind.PLUG) {
            double p = Math.round(power());
            j.begin("ENERGY").str("TotalStartTime", "2024-01-12T10:03:51").num("Total", energyKWh, 3).num("Yesterday", 1.234, 3)
                    .num("Today", 0.456, 3).num("Period", on ? 1 : 0).num("Power", (long) p).num("ApparentPower", Math.round(p * 1.1))
                    .num("ReactivePower", Math.round(p * 0.3)).num("Factor", on ? 0.91 : 0, 2).num("Voltage", Math.round(voltage.value()))
                    .num("Current", current(), 3).end();
            mark = new Mark("energy", "power", p);
        } else {
            double h = JsonText.round(humidity.value(), 1);
            double t = temperatureInUnit();
            double dew = dewPoint(temperatureC(), humidity.value());
            j.begin(chip).num("Temperature", t, 1).num("Humidity", h, 1).num("DewPoint", fahrenheit ? dew * 9 / 5 + 32 : dew, 1).end()
                    .str("TempUnit", fahrenheit ? "F" : "C");
            mark = new Mark("humidity", "value", h);
        }
        return new Message("tele/" + topic + "/SENSOR", j.bytes(), false, mark);
    }

    private static double dewPoint(double t, double rh) {
        double g = Math.log(Math.max(rh, 1) / 100) + 17.62 * t / (243.12 + t);
        return 243.12 * g / (17.62 - g);
    }

    @Override
    public List<Message> offline() {
        return List.of(Message.retained("tele/" + topic + "/LWT", "Offline"));
    }

    @Override
    public List<String> commandTopics() {
        return List.of("cmnd/" + topic + "/");
    }

    @Override
    public List<Message> command(String t, byte[] payload) {
        String command = t.substring(t.lastIndexOf('/') + 1);
        String value = text(payload);
        List<Message> out = new ArrayList<>();
        switch (command.toUpperCase(Locale.ROOT)) {
            case "POWER", "POWER1" -> {
                if (kind != Kind.PLUG) {
                    out.add(Message.of("stat/" + topic + "/RESULT", "{\"Command\":\"Unknown\"}"));
                    return out;
                }
                if (!value.isEmpty()) {
                    setOn(relay(value));
                }
                out.add(Message.of("stat/" + topic + "/RESULT", "{\"POWER\":\"" + (on ? "ON" : "OFF") + "\"}"));
                out.add(Message.of("stat/" + topic + "/POWER", on ? "ON" : "OFF"));
            }
            case "POWERONSTATE" -> {
                if (!value.isEmpty()) {
                    powerOnState = switch (value) {
                        case "0" -> "off";
                        case "1" -> "on";
                        case "3" -> "previous";
                        default -> throw new IllegalArgumentException("PowerOnState " + value + " is not simulated");
                    };
                }
                int code = switch (powerOnState) {
                    case "off" -> 0;
                    case "on" -> 1;
                    default -> 3;
                };
                out.add(Message.of("stat/" + topic + "/RESULT", "{\"PowerOnState\":" + code + "}"));
            }
            case "STATE" -> out.add(Message.of("stat/" + topic + "/RESULT", state().text()));
            default -> out.add(Message.of("stat/" + topic + "/RESULT", "{\"Command\":\"Unknown\"}"));
        }
        return out;
    }
}
