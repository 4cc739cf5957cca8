package io.rosetta.models;

/** A unit that is unknown, or two units that cannot be converted into each other. */
public class UnitConversionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnitConversionException(String message) {
        super(message);
    }

    public UnitConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
