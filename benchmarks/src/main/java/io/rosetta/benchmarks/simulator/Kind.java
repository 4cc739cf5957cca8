package io.rosetta.benchmarks.simulator;

/** What a simulated device is, whichever dialect it speaks. */
public enum Kind {
    /** A battery room sensor: temperature, humidity, battery. */
    CLIMATE,
    /** A metering plug: relay, power, energy, voltage, current. */
    PLUG,
    /** A door/window contact. */
    CONTACT,
    /** An occupancy sensor with illuminance. */
    MOTION,
    /** An air quality box: CO2, VOC, temperature, humidity. */
    AIR_QUALITY
}
