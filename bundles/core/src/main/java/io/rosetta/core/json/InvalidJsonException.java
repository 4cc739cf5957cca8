package io.rosetta.core.json;

/** Text that is not JSON, or JSON of a shape the caller cannot use. */
public class InvalidJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidJsonException(String message) {
        super(message);
    }

    public InvalidJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
