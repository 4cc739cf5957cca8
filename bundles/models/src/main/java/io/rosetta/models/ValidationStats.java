package io.rosetta.models;

import java.util.Map;

/**
 * Counters of the model validator since it started: how many candidate twins it checked, how many
 * it refused, and the violations by model and reason.
 */
public interface ValidationStats {

    /** Candidates whose definition named a known model and that were checked. */
    long validated();

    /** Candidates refused with a {@code ModelViolationException}. */
    long rejected();

    /** Candidates whose definition named no known model (accepted unchecked). */
    long unknownModel();

    /** Violations counted by the thing's model id and reason; one refused change may count several. */
    Map<Violation, Long> violations();

    /** Why a value breaks its model. */
    enum Reason {
        /** The JSON type differs from the declared one (e.g. a string where a number belongs). */
        TYPE,
        /** A number below the declared minimum. */
        MINIMUM,
        /** A number above the declared maximum. */
        MAXIMUM,
        /** A value that is not one of the declared enumeration. */
        ENUM,
        /** A property that the feature's model does not declare. */
        UNKNOWN_PROPERTY,
        /** A desired value for a property that the model declares read-only. */
        READ_ONLY
    }

    /** A counter key: the thing's model ({@code definition}) and the reason. */
    record Violation(String modelId, Reason reason) {
    }
}
