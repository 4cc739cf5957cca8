package io.rosetta.core.json;

/** A JSON pointer that RFC 6901 (or Ditto) does not accept. */
public class InvalidJsonPointerException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidJsonPointerException(String pointer, String reason) {
        super("Invalid JSON pointer '" + pointer + "': " + reason);
    }
}
