package io.rosetta.models;

/** A device value that does not fit a model property: why, and a message that names the value. */
public class PropertyValueException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a value was refused. */
    public enum Kind { WRONG_TYPE, OUT_OF_RANGE, UNIT }

    private final Kind kind;

    public PropertyValueException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
