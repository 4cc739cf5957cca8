// The function node of flow.json (kept here readable; build-flow.js copies it into the flow): what Rosetta's MQTT
// dialects do for the simulator's JSON dialects, reduced to the fields: parse the payload, name the twin, map the
// fields onto model properties in the model's units (°F → °C, Wh → kWh), drop what is not telemetry.
const t = msg.topic;
const s = t.split("/");
let thing = null;
let f = null;
function parse() {
    try {
        return JSON.parse(msg.payload);
    } catch (e) {
        node.error("not JSON on " + t);
        return null;
    }
}
function put(feature, property, value) {
    if (typeof value !== "number" && typeof value !== "boolean") {
        return;
    }
    if (!f[feature]) {
        f[feature] = { properties: {} };
    }
    f[feature].properties[property] = value;
}
if (s[0] === "zigbee2mqtt") {
    const last = s[s.length - 1];
    if (s[1] === "bridge" || last === "availability" || last === "set" || last === "get") {
        return null;
    }
    const p = parse();
    if (!p) return null;
    thing = "z2m-" + s.slice(1).join("_");
    f = {};
    put("temperature", "value", p.temperature);
    put("humidity", "value", p.humidity);
    put("device", "batteryLevel", p.battery);
    put("device", "signalStrength", p.linkquality);
    put("energy", "power", p.power);
    put("energy", "energy", p.energy);
    put("energy", "voltage", p.voltage !== undefined && p.power !== undefined ? p.voltage : undefined);
    put("energy", "current", p.current);
    if (p.state !== undefined) put("switch", "on", p.state === "ON");
    if (p.contact !== undefined) put("contact", "open", !p.contact);
    put("motion", "occupancy", p.occupancy);
    put("motion", "illuminance", p.illuminance_lux);
    put("airQuality", "co2", p.co2);
    put("airQuality", "voc", p.voc);
} else if (s[0] === "tele" && s.length === 3 && (s[2] === "STATE" || s[2] === "SENSOR")) {
    const p = parse();
    if (!p) return null;
    thing = "tasmota-" + s[1];
    f = {};
    if (s[2] === "STATE") {
        if (p.Wifi) put("device", "signalStrength", p.Wifi.Signal);
        if (p.POWER !== undefined) put("switch", "on", p.POWER === "ON");
    } else if (p.ENERGY) {
        put("energy", "power", p.ENERGY.Power);
        put("energy", "energy", p.ENERGY.Total);
        put("energy", "voltage", p.ENERGY.Voltage);
        put("energy", "current", p.ENERGY.Current);
    } else {
        for (const k of Object.keys(p)) {
            const v = p[k];
            if (v && typeof v === "object" && v.Humidity !== undefined) {
                const temp = p.TempUnit === "F" ? (v.Temperature - 32) * 5 / 9 : v.Temperature;
                put("temperature", "value", temp);
                put("humidity", "value", v.Humidity);
            }
        }
    }
} else if (s.length === 3 && s[1] === "events" && s[2] === "rpc") {
    const p = parse();
    if (!p || p.method !== "NotifyStatus" || !p.params) return null;
    thing = "shelly-" + p.src;
    f = {};
    const sw = p.params["switch:0"];
    if (sw) {
        put("energy", "power", sw.apower);
        put("energy", "voltage", sw.voltage);
        put("energy", "current", sw.current);
        if (sw.aenergy) put("energy", "energy", sw.aenergy.total / 1000);
    }
    if (p.params["humidity:0"]) put("humidity", "value", p.params["humidity:0"].rh);
    if (p.params["temperature:0"]) put("temperature", "value", p.params["temperature:0"].tC);
} else if (s[0] === "acme" && s.length === 3 && (s[2] === "meter" || s[2] === "telemetry")) {
    const p = parse();
    if (!p) return null;
    thing = "acme-" + s[1];
    f = {};
    if (s[2] === "meter") {
        put("switch", "on", p.relay);
        put("energy", "power", p.p);
        put("energy", "energy", p.e);
        put("energy", "voltage", p.v);
        put("energy", "current", p.i);
    } else {
        if (p.env) {
            if (typeof p.env.temp === "number") put("temperature", "value", (p.env.temp - 32) * 5 / 9);
            put("humidity", "value", p.env.rh);
        }
        if (p.bat) put("device", "batteryLevel", p.bat.pct);
    }
} else {
    return null;
}
if (Object.keys(f).length === 0) {
    return null;
}
msg.payload = JSON.stringify({ thingId: "mqtt:" + thing, features: f });
return msg;
