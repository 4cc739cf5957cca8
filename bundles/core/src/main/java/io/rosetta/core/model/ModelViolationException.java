package io.rosetta.core.model;

import java.util.List;

/** A change whose values break the thing's semantic model (type, range, unknown property). */
public class ModelViolationException extends TwinException {

    private static final long serialVersionUID = 1L;

    private final List<String> violations;

    public ModelViolationException(String definition, List<String> violations) {
        super(400, "things:model.violation",
                "The change breaks the model '" + definition + "': " + String.join("; ", violations),
                "Send values of the type, unit and range that the thing's model declares.");
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
