package io.rosetta.benchmarks.simulator;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated device: its physical state (which drifts between reports and changes on commands)
 * and, in its dialect's subclass, the topics and payloads its firmware publishes. Methods are called
 * under {@link #lock()}: the pacer's telemetry and the command thread's responses never interleave.
 */
public abstract class SimDevice {

    /** Chance per report that someone presses the device's button (plug) or that a door opens. */
    static final double DEFAULT_TOGGLE_CHANCE = 0.001;

    protected final Kind kind;
    protected final int index;
    protected final SplittableRandom random;
    protected final boolean fahrenheit;
    double toggleChance = DEFAULT_TOGGLE_CHANCE;
    int connection;

    // physical state
    protected final Drift temperature;
    protected final Drift humidity;
    protected final Drift load;
    protected final Drift voltage;
    protected boolean on = true;
    protected String powerOnState = "previous";
    protected double energyKWh;
    protected double battery;
    protected final int signal;
    protected boolean contact = true;
    protected boolean occupancy;
    protected int illuminance;
    protected int occupancyTimeout = 60;
    protected final Drift co2;
    protected long reports;
    private long lastEnergyNanos = System.nanoTime();

    protected SimDevice(Kind kind, int index, long seed, boolean fahrenheit) {
        this.kind = kind;
        this.index = index;
        this.random = new SplittableRandom(seed * 31 + index);
        this.fahrenheit = fahrenheit;
        double setPoint = 19 + random.nextDouble() * 5;
        this.temperature = new Drift(random, setPoint, -20, 45, 0.03, 0.01);
        this.humidity = new Drift(random, 35 + random.nextDouble() * 25, 5, 95, 0.15, 0.01);
        double appliance = switch (index % 5) {
            case 0 -> 5 + random.nextDouble() * 10;       // a lamp
            case 1 -> 60 + random.nextDouble() * 60;      // a TV
            case 2 -> 120 + random.nextDouble() * 60;     // a fridge
            case 3 -> 800 + random.nextDouble() * 1200;   // a heater, a kettle
            default -> 20 + random.nextDouble() * 40;     // a router, a computer
        };
        this.load = new Drift(random, appliance, 0.5, 3500, appliance * 0.01, 0.05);
        this.voltage = new Drift(random, 228 + random.nextDouble() * 6, 207, 253, 0.2, 0.05);
        this.energyKWh = random.nextDouble() * 900;
        this.battery = 60 + random.nextInt(41);
        this.signal = -45 - random.nextInt(40);
        this.co2 = new Drift(random, 450 + random.nextDouble() * 400, 400, 5000, 8, 0.02);
        this.illuminance = random.nextInt(300);
    }

    /** The dialect's id as the binding names it ({@code zigbee2mqtt}, {@code tasmota}, ...). */
    public abstract String dialect();

    public Kind kind() {
        return kind;
    }

    /** The name of the twin the binding makes of this device (without the namespace). */
    public abstract String thingName();

    /** Discovery and birth messages, availability online, the first state: what the device publishes when it connects. */
    public abstract List<Message> announce();

    /** The next periodic report (the physical state advances first). */
    public abstract Message telemetry();

    /** What the device (or its last will) publishes when it goes away. */
    public abstract List<Message> offline();

    /** Topics this device takes commands on: exact topics, or prefixes ending with {@code /} (Tasmota's {@code cmnd/<topic>/}). */
    public abstract List<String> commandTopics();

    /**
     * Executes a command and returns what the device publishes in answer: its new state. Throws
     * {@link IllegalArgumentException} for a command the firmware would refuse.
     */
    public abstract List<Message> command(String topic, byte[] payload);

    /** The monitor that orders this device's messages (a Sparkplug edge node's, shared by its devices). */
    public Object lock() {
        return this;
    }

    public int connection() {
        return connection;
    }

    /** Advances the physical state by one report. */
    protected void advance() {
        reports++;
        long now = System.nanoTime();
        double hours = (now - lastEnergyNanos) / 3.6e12;
        lastEnergyNanos = now;
        temperature.next();
        humidity.next();
        voltage.next();
        co2.next();
        if (on) {
            load.next();
            energyKWh += power() / 1000 * hours;
        }
        battery = Math.max(1, battery - 0.002);
        illuminance = Math.max(0, Math.min(2000, illuminance + random.nextInt(-5, 6)));
        if (toggleChance > 0 && random.nextDouble() < toggleChance) {
            switch (kind) {
                case PLUG -> on = !on;
                case CONTACT -> contact = !contact;
                case MOTION -> occupancy = !occupancy;
                default -> {
                }
            }
        }
        if (kind == Kind.CONTACT && random.nextDouble() < 0.2) {
            contact = !contact;
        }
        if (kind == Kind.MOTION && random.nextDouble() < 0.1) {
            occupancy = !occupancy;
        }
    }

    /** Watts drawn now: the load when the relay is on, nothing when it is off. */
    protected double power() {
        return on ? load.value() : 0;
    }

    protected double current() {
        return power() / voltage.value();
    }

    protected double temperatureC() {
        return temperature.value();
    }

    /** Temperature in the device's configured unit. */
    protected double temperatureInUnit() {
        return fahrenheit ? temperature.value() * 9 / 5 + 32 : temperature.value();
    }

    protected int batteryPercent() {
        return (int) Math.round(battery);
    }

    protected static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8).trim();
    }

    protected static JsonObject json(byte[] payload) {
        try {
            JsonValue v = Json.parse(payload);
            if (v instanceof JsonObject o) {
                return o;
            }
            throw new IllegalArgumentException("a command must be a JSON object but was " + text(payload));
        } catch (InvalidJsonException e) {
            throw new IllegalArgumentException("a command must be JSON: " + e.getMessage());
        }
    }

    /** A relay command as firmware reads it: ON/OFF/TOGGLE, true/false, 1/0. */
    protected boolean relay(String value) {
        return switch (value.toUpperCase(java.util.Locale.ROOT)) {
            case "ON", "TRUE", "1" -> true;
            case "OFF", "FALSE", "0" -> false;
            case "TOGGLE", "2" -> !on;
            default -> throw new IllegalArgumentException("not a relay state: " + value);
        };
    }

    /** Switches the relay; the load returns to the appliance's draw when on. */
    protected void setOn(boolean value) {
        on = value;
    }

    @Override
    public String toString() {
        return dialect() + " " + kind + " " + thingName();
    }
}
