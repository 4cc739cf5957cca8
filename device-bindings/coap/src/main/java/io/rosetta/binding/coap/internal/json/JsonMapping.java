package io.rosetta.binding.coap.internal.json;

import java.util.List;
import java.util.Objects;

/**
 * How the plain JSON ({@code application/json}) of one kind of device maps onto one model: its name (the
 * file name without {@code .json}), the model, a priority among the mappings of that model (the highest is
 * the model's default), and the rules.
 */
public record JsonMapping(String name, String model, int priority, String description, List<JsonRule> rules) {

    public JsonMapping {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        rules = List.copyOf(rules);
    }
}
