package io.rosetta.models.internal;

/** A model file that is not a usable WoT Thing Model; the message says what and where. */
final class ModelFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ModelFormatException(String message) {
        super(message);
    }

    ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
