package io.rosetta.benchmarks.simulator;

import java.util.SplittableRandom;

/**
 * A measured quantity that drifts as real ones do: a random walk pulled back towards a set point
 * (Ornstein–Uhlenbeck), kept within physical bounds. Room temperature wanders by hundredths of a
 * degree between reports and returns to its set point over hours; humidity likewise; a load's power
 * jitters by a few percent around what the appliance draws.
 */
final class Drift {

    private final SplittableRandom random;
    private final double min;
    private final double max;
    private final double step;
    private final double pull;
    private double center;
    private double value;

    Drift(SplittableRandom random, double start, double min, double max, double step, double pull) {
        this.random = random;
        this.center = start;
        this.value = start;
        this.min = min;
        this.max = max;
        this.step = step;
        this.pull = pull;
    }

    /** The next value: a step of normal noise plus a pull towards the set point. */
    double next() {
        value += gaussian() * step + (center - value) * pull;
        value = Math.max(min, Math.min(max, value));
        return value;
    }

    double value() {
        return value;
    }

    void setCenter(double c) {
        center = c;
    }

    void jumpTo(double v) {
        value = Math.max(min, Math.min(max, v));
    }

    private double gaussian() {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(Math.max(u, 1e-12))) * Math.cos(2 * Math.PI * v);
    }
}
