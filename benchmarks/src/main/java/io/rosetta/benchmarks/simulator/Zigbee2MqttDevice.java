package io.rosetta.benchmarks.simulator;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A Zigbee device behind Zigbee2MQTT (1.x/2.x): its state as one JSON object on
 * {@code <base>/<friendly_name>} (keys sorted, with {@code linkquality}; battery devices with
 * {@code battery} and {@code voltage}), availability {@code {"state":"online"}} on
 * {@code <base>/<friendly_name>/availability} (retained), commands as JSON on {@code …/set}, after which
 * Zigbee2MQTT publishes the device's whole new state. The models are real ones: Aqara WSDCGQ11LM
 * (climate), an Innr SP 234 plug, Aqara MCCGQ11LM (contact), Philips Hue SML001 (motion), a Tuya
 * TS0601 air quality box.
 */
final class Zigbee2MqttDevice extends SimDevice {

    static final String DIALECT = "zigbee2mqtt";
    private static final String[] ROOMS = {"living_room", "kitchen", "bedroom", "office", "hall", "garage", "bathroom", "attic"};

    private final String base;
    private final String friendlyName;
    private final String ieee;
    private int linkquality;

    Zigbee2MqttDevice(String base, Kind kind, int index, long seed) {
        super(kind, index, seed, false);
        this.base = base;
        this.friendlyName = ROOMS[index % ROOMS.length] + "/" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + "-" + String.format("%04d", index);
        this.ieee = String.format("0x00158d00%08x", 0x01e10000 + index);
        this.linkquality = 60 + random.nextInt(150);
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    String friendlyName() {
        return friendlyName;
    }

    String ieeeAddress() {
        return ieee;
    }

    @Override
    public String thingName() {
        return "z2m-" + friendlyName.replace('/', '_');
    }

    private String topic() {
        return base + "/" + friendlyName;
    }

    @Override
    public List<Message> announce() {
        return List.of(Message.retained(topic() + "/availability", "{\"state\":\"online\"}"), state());
    }

    @Override
    public Message telemetry() {
        advance();
        linkquality = Math.max(0, Math.min(255, linkquality + random.nextInt(-6, 7)));
        return state();
    }

    /** The device's whole state, as Zigbee2MQTT publishes it after every change. */
    Message state() {
        JsonText j = JsonText.object();
        Mark mark;
        switch (kind) {
            case CLIMATE -> {
                double h = JsonText.round(humidity.value(), 2);
                j.num("battery", batteryPercent()).num("humidity", h, 2).num("linkquality", linkquality)
                        .num("power_outage_count", 3).num("pressure", 1013.2 + (humidity.value() - 50) / 10, 1)
                        .num("temperature", temperatureC(), 2).num("voltage", 2900 + batteryPercent() * 2L);
                mark = new Mark("humidity", "value", h);
            }
            case PLUG -> {
                double p = JsonText.round(power(), 1);
                j.num("current", current(), 2).num("energy", energyKWh, 2).num("linkquality", linkquality)
                        .num("power", p, 1).str("power_on_behavior", powerOnState).str("state", on ? "ON" : "OFF")
                        .num("voltage", Math.round(voltage.value()));
                mark = new Mark("energy", "power", p);
            }
            case CONTACT -> {
                j.num("battery", batteryPercent()).bool("contact", contact).num("device_temperature", Math.round(temperatureC()))
                        .num("linkquality", linkquality).num("power_outage_count", 1).num("voltage", 2900 + batteryPercent() * 2L);
                mark = new Mark("device", "batteryLevel", batteryPercent());
            }
            case MOTION -> {
                j.num("battery", batteryPercent()).num("illuminance", Math.round(10000 * Math.log10(illuminance + 1) + 1))
                        .num("illuminance_lux", illuminance).bool("led_indication", false).num("linkquality", linkquality)
                        .str("motion_sensitivity", "medium").bool("occupancy", occupancy).num("occupancy_timeout", occupancyTimeout)
                        .num("temperature", temperatureC(), 2);
                mark = new Mark("motion", "illuminance", illuminance);
            }
            case AIR_QUALITY -> {
                long c = Math.round(co2.value());
                j.num("co2", c).num("formaldehyd", 2 + random.nextInt(4)).num("humidity", humidity.value(), 1)
                        .num("linkquality", linkquality).num("temperature", temperatureC(), 1).num("voc", 80 + random.nextInt(60));
                mark = new Mark("airQuality", "co2", c);
            }
            default -> throw new IllegalStateException(kind.name());
        }
        return new Message(topic(), j.bytes(), false, mark);
    }

    @Override
    public List<Message> offline() {
        return List.of(Message.retained(topic() + "/availability", "{\"state\":\"offline\"}"));
    }

    @Override
    public List<String> commandTopics() {
        return List.of(topic() + "/set");
    }

    @Override
    public List<Message> command(String topic, byte[] payload) {
        JsonObject set = json(payload);
        boolean changed = false;
        for (String key : set.keys()) {
            JsonValue v = set.getOrNull(key);
            switch (key) {
                case "state" -> {
                    requireKind(Kind.PLUG, key);
                    if (!(v instanceof JsonString s)) {
                        throw new IllegalArgumentException("state must be ON, OFF or TOGGLE");
                    }
                    setOn(relay(s.value()));
                }
                case "power_on_behavior" -> {
                    requireKind(Kind.PLUG, key);
                    if (!(v instanceof JsonString s) || !List.of("on", "off", "previous", "toggle").contains(s.value())) {
                        throw new IllegalArgumentException("power_on_behavior must be one of on, off, previous, toggle");
                    }
                    powerOnState = s.value();
                }
                case "occupancy_timeout" -> {
                    requireKind(Kind.MOTION, key);
                    if (!(v instanceof JsonNumber n) || n.doubleValue() < 0 || n.doubleValue() > 65535) {
                        throw new IllegalArgumentException("occupancy_timeout must be a number of seconds");
                    }
                    occupancyTimeout = (int) Math.round(n.doubleValue());
                }
                case "led_indication" -> {
                    requireKind(Kind.MOTION, key);
                    if (!(v instanceof JsonBoolean)) {
                        throw new IllegalArgumentException("led_indication must be a boolean");
                    }
                }
                default -> throw new IllegalArgumentException("No converter available for '" + key + "' (" + v + ")");
            }
            changed = true;
        }
        List<Message> out = new ArrayList<>();
        if (changed) {
            out.add(state());
        }
        return out;
    }

    private void requireKind(Kind k, String key) {
        if (kind != k) {
            throw new IllegalArgumentException("No converter available for '" + key + "' on " + friendlyName);
        }
    }

    /** This device's entry in {@code bridge/devices}: definition, exposes, as Zigbee2MQTT describes it. */
    String bridgeEntry() {
        String model;
        String vendor;
        String description;
        String exposes;
        String powerSource = "Battery";
        String type = "EndDevice";
        switch (kind) {
            case CLIMATE -> {
                model = "WSDCGQ11LM";
                vendor = "Aqara";
                description = "Temperature, humidity and pressure sensor";
                exposes = numeric("battery", "%", 1) + "," + numeric("temperature", "°C", 1) + "," + numeric("humidity", "%", 1) + ","
                        + numeric("pressure", "hPa", 1) + "," + numeric("voltage", "mV", 1) + "," + linkquality();
            }
            case PLUG -> {
                model = "SP 234";
                vendor = "Innr";
                description = "Smart plug";
                powerSource = "Mains (single phase)";
                type = "Router";
                exposes = "{\"features\":[{\"access\":7,\"description\":\"On/off state of the switch\",\"label\":\"State\",\"name\":\"state\","
                        + "\"property\":\"state\",\"type\":\"binary\",\"value_off\":\"OFF\",\"value_on\":\"ON\",\"value_toggle\":\"TOGGLE\"}],"
                        + "\"type\":\"switch\"}," + numeric("power", "W", 5) + "," + numeric("voltage", "V", 5) + "," + numeric("current", "A", 5)
                        + "," + numeric("energy", "kWh", 5) + ",{\"access\":7,\"name\":\"power_on_behavior\",\"property\":\"power_on_behavior\","
                        + "\"type\":\"enum\",\"values\":[\"off\",\"on\",\"toggle\",\"previous\"]}," + linkquality();
            }
            case CONTACT -> {
                model = "MCCGQ11LM";
                vendor = "Aqara";
                description = "Door and window sensor";
                exposes = numeric("battery", "%", 1) + ",{\"access\":1,\"name\":\"contact\",\"property\":\"contact\",\"type\":\"binary\","
                        + "\"value_off\":true,\"value_on\":false}," + numeric("device_temperature", "°C", 1) + "," + numeric("voltage", "mV", 1)
                        + "," + linkquality();
            }
            case MOTION -> {
                model = "9290012607";
                vendor = "Philips";
                description = "Hue motion sensor";
                exposes = numeric("temperature", "°C", 5) + ",{\"access\":5,\"name\":\"occupancy\",\"property\":\"occupancy\",\"type\":\"binary\","
                        + "\"value_off\":false,\"value_on\":true}," + numeric("battery", "%", 5) + "," + numeric("illuminance_lux", "lx", 5) + ","
                        + "{\"access\":7,\"name\":\"occupancy_timeout\",\"property\":\"occupancy_timeout\",\"type\":\"numeric\",\"unit\":\"s\","
                        + "\"value_max\":65535,\"value_min\":0}," + linkquality();
            }
            case AIR_QUALITY -> {
                model = "TS0601_air_quality_sensor";
                vendor = "Tuya";
                description = "Air quality sensor";
                powerSource = "Mains (single phase)";
                type = "Router";
                exposes = numeric("temperature", "°C", 1) + "," + numeric("humidity", "%", 1) + "," + numeric("co2", "ppm", 1) + ","
                        + numeric("voc", "ppm", 1) + "," + numeric("formaldehyd", "µg/m³", 1) + "," + linkquality();
            }
            default -> throw new IllegalStateException(kind.name());
        }
        return "{\"date_code\":\"20191205\",\"definition\":{\"description\":" + JsonText.quote(description) + ",\"exposes\":[" + exposes
                + "],\"model\":" + JsonText.quote(model) + ",\"options\":[],\"supports_ota\":false,\"vendor\":" + JsonText.quote(vendor)
                + "},\"disabled\":false,\"endpoints\":{\"1\":{\"bindings\":[],\"clusters\":{\"input\":[\"genBasic\"],\"output\":[]},"
                + "\"configured_reportings\":[],\"scenes\":[]}},\"friendly_name\":" + JsonText.quote(friendlyName) + ",\"ieee_address\":\""
                + ieee + "\",\"interview_completed\":true,\"interviewing\":false,\"manufacturer\":" + JsonText.quote(vendor)
                + ",\"model_id\":" + JsonText.quote(model) + ",\"network_address\":" + (1000 + index) + ",\"power_source\":"
                + JsonText.quote(powerSource) + ",\"software_build_id\":\"3000-0001\",\"supported\":true,\"type\":\"" + type + "\"}";
    }

    private static String numeric(String name, String unit, int access) {
        return "{\"access\":" + access + ",\"name\":\"" + name + "\",\"property\":\"" + name + "\",\"type\":\"numeric\",\"unit\":"
                + JsonText.quote(unit) + "}";
    }

    private static String linkquality() {
        return "{\"access\":1,\"name\":\"linkquality\",\"property\":\"linkquality\",\"type\":\"numeric\",\"unit\":\"lqi\","
                + "\"value_max\":255,\"value_min\":0}";
    }
}
