package io.rosetta.core.model;

/** An id that does not have the required form. */
public class InvalidIdException extends TwinException {

    private static final long serialVersionUID = 1L;

    public InvalidIdException(String id, String reason) {
        super(400, "things:id.invalid", "The id '" + id + "' is not valid: " + reason + ".",
                "A thing id has the form 'namespace:name', e.g. 'org.example:sensor-1'.");
    }
}
