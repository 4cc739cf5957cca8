// Writes flow.json from map.js: run `node build-flow.js` after editing map.js (headline.sh checks they agree).
const fs = require("fs");
const path = require("path");
const func = fs.readFileSync(path.join(__dirname, "map.js"), "utf8");
const flow = [
    { id: "tab", type: "tab", label: "headline", disabled: false },
    {
        id: "broker", type: "mqtt-broker", name: "benchmark broker", broker: "${MQTT_HOST}", port: "${MQTT_PORT}",
        clientid: "node-red-headline", autoConnect: true, usetls: false, protocolVersion: "4", keepalive: "60",
        cleansession: true, autoUnsubscribe: true
    },
    { id: "ws", type: "websocket-listener", path: "/ws/twins", wholemsg: "false" },
    {
        id: "in", type: "mqtt in", z: "tab", name: "devices", topic: "#", qos: "1", datatype: "utf8", broker: "broker",
        nl: false, rap: true, rh: 0, inputs: 0, x: 120, y: 80, wires: [["map"]]
    },
    {
        id: "map", type: "function", z: "tab", name: "parse and map", func: func, outputs: 1, timeout: 0, noerr: 0,
        initialize: "", finalize: "", libs: [], x: 320, y: 80, wires: [["out"]]
    },
    { id: "out", type: "websocket out", z: "tab", name: "twins", server: "ws", client: "", x: 520, y: 80, wires: [] }
];
fs.writeFileSync(path.join(__dirname, "flow.json"), JSON.stringify(flow, null, 2) + "\n");
