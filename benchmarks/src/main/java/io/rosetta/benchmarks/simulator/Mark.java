package io.rosetta.benchmarks.simulator;

/**
 * The model property (feature and property id) and the value, in the model's unit, that a message
 * will set on its twin: the key by which an event subscriber recognizes the message.
 */
public record Mark(String feature, String property, double value) {
}
