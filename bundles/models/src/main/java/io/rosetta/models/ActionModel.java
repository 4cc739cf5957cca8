package io.rosetta.models;

import io.rosetta.core.json.JsonObject;

/** An action of a model (e.g. {@code reboot}), with its input and output schemas when given. */
public record ActionModel(String name, String description, JsonObject input, JsonObject output) {
}
