package io.rosetta.benchmarks.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The simulator's command line, parsed and checked; every option has a default. */
public record SimulatorOptions(String broker, String username, String password, int devices, double rate, int connections,
                               List<String> dialects, int qos, Duration duration, long seed, double toggleChance, int window,
                               Duration report, String clientId, String zigbee2mqttBase, String homieBase, String homeAssistantPrefix,
                               String sparkplugGroup, boolean commands, Duration settle) {

    /** Every dialect, in the order devices are dealt to them. */
    public static final List<String> ALL_DIALECTS = List.of(Zigbee2MqttDevice.DIALECT, TasmotaDevice.DIALECT, ShellyDevice.DIALECT,
            HomieDevice.DIALECT, HomeAssistantDevice.DIALECT, GenericJsonDevice.DIALECT, SparkplugDevice.DIALECT);

    public static final String USAGE = """
            Usage: simulate.sh [options]     (java -cp benchmarks.jar io.rosetta.benchmarks.simulator.Simulator [options])
              --broker URL          MQTT broker (tcp://127.0.0.1:1883)
              --username U --password P   broker credentials (none)
              --devices N           simulated devices, dealt round-robin to the dialects (200)
              --rate R              messages per second, all devices together (500)
              --connections C       MQTT connections the devices share (4); Sparkplug edge nodes get their own
              --dialects LIST       all, or some of zigbee2mqtt,tasmota,shelly,homie,homeassistant,generic,sparkplug (all)
              --qos Q               QoS of the telemetry, 0 or 1 (0); discovery and availability are QoS 1
              --duration D          how long to publish telemetry, e.g. 60s, 10m; 0 = until interrupted (60s)
              --seed S              random seed of the devices' drift (1)
              --toggle-chance P     chance per report that a plug's button is pressed or a door opens by itself (0.001)
              --window W            messages in flight per connection before the publisher waits (1000)
              --report D            progress line every D, 0 = none (10s)
              --client-id ID        prefix of the MQTT client ids (rosetta-sim-<random>)
              --z2m-base T          Zigbee2MQTT base topic (zigbee2mqtt)
              --homie-base T        Homie base topic (homie)
              --ha-prefix T         Home Assistant discovery prefix (homeassistant)
              --sparkplug-group G   Sparkplug group id (rosetta-sim)
              --no-commands         do not subscribe to or answer commands
              --settle D            pause between the announcements and the telemetry (1s)
            """;

    public SimulatorOptions {
        if (devices < 1) {
            throw new IllegalArgumentException("--devices must be at least 1 but was " + devices);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive but was " + rate);
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("--connections must be between 1 and 64 but was " + connections);
        }
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("--qos must be 0 or 1 but was " + qos);
        }
        if (window < 1 || window > 65535) {
            throw new IllegalArgumentException("--window must be between 1 and 65535 but was " + window);
        }
        if (toggleChance < 0 || toggleChance > 1) {
            throw new IllegalArgumentException("--toggle-chance must be between 0 and 1 but was " + toggleChance);
        }
        if (dialects.isEmpty()) {
            throw new IllegalArgumentException("--dialects names none");
        }
        dialects = List.copyOf(dialects);
    }

    public static SimulatorOptions defaults() {
        return parse(new String[0]);
    }

    public static SimulatorOptions parse(String[] args) {
        String broker = "tcp://127.0.0.1:1883";
        String username = null;
        String password = null;
        int devices = 200;
        double rate = 500;
        int connections = 4;
        List<String> dialects = ALL_DIALECTS;
        int qos = 0;
        Duration duration = Duration.ofSeconds(60);
        long seed = 1;
        double toggle = SimDevice.DEFAULT_TOGGLE_CHANCE;
        int window = 1000;
        Duration report = Duration.ofSeconds(10);
        String clientId = "rosetta-sim-" + Long.toString(System.nanoTime() & 0xffffff, 36);
        String z2m = "zigbee2mqtt";
        String homie = "homie";
        String ha = "homeassistant";
        String group = "rosetta-sim";
        boolean commands = true;
        Duration settle = Duration.ofSeconds(1);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--no-commands".equals(a)) {
                commands = false;
                continue;
            }
            if ("--help".equals(a) || "-h".equals(a)) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--broker" -> broker = v;
                    case "--username" -> username = v;
                    case "--password" -> password = v;
                    case "--devices" -> devices = Integer.parseInt(v);
                    case "--rate" -> rate = Double.parseDouble(v);
                    case "--connections" -> connections = Integer.parseInt(v);
                    case "--dialects" -> dialects = dialects(v);
                    case "--qos" -> qos = Integer.parseInt(v);
                    case "--duration" -> duration = duration(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--toggle-chance" -> toggle = Double.parseDouble(v);
                    case "--window" -> window = Integer.parseInt(v);
                    case "--report" -> report = duration(v);
                    case "--client-id" -> clientId = v;
                    case "--z2m-base" -> z2m = v;
                    case "--homie-base" -> homie = v;
                    case "--ha-prefix" -> ha = v;
                    case "--sparkplug-group" -> group = v;
                    case "--settle" -> settle = duration(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " must be a number but was '" + v + "'");
            }
        }
        return new SimulatorOptions(broker, username, password, devices, rate, connections, dialects, qos, duration, seed, toggle,
                window, report, clientId, z2m, homie, ha, group, commands, settle);
    }

    static List<String> dialects(String v) {
        if ("all".equalsIgnoreCase(v.trim())) {
            return ALL_DIALECTS;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String d : v.split(",")) {
            String id = d.trim().toLowerCase(Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            if (!ALL_DIALECTS.contains(id)) {
                throw new IllegalArgumentException("--dialects: unknown dialect '" + id + "'; known: " + ALL_DIALECTS);
            }
            out.add(id);
        }
        return new ArrayList<>(out);
    }

    /** {@code 60s}, {@code 10m}, {@code 500ms}, {@code 1h}, or a number of seconds. */
    public static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            if (s.endsWith("h")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + v + "' (use 60s, 10m, 500ms)");
        }
    }

    public SimulatorOptions withRate(double r) {
        return new SimulatorOptions(broker, username, password, devices, r, connections, dialects, qos, duration, seed, toggleChance,
                window, report, clientId, zigbee2mqttBase, homieBase, homeAssistantPrefix, sparkplugGroup, commands, settle);
    }
}
