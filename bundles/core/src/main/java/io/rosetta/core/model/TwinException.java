package io.rosetta.core.model;

/**
 * A refused twin operation, carrying what an API answers with: an HTTP-like status, a Ditto-style
 * error code ({@code things:thing.notfound}), a message and a description of what to do.
 */
public class TwinException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final String description;

    public TwinException(int status, String errorCode, String message, String description) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.description = description;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public String description() {
        return description;
    }

    public static TwinException notFound(ThingId id) {
        return new TwinException(404, "things:thing.notfound",
                "The Thing with ID '" + id + "' could not be found or requester had insufficient permissions to access it.",
                "Check if the ID of your requested Thing was correct and you have sufficient permissions.");
    }

    public static TwinException conflict(ThingId id) {
        return new TwinException(409, "things:thing.conflict", "The Thing with ID '" + id + "' already exists",
                "Choose another Thing ID or update the existing Thing.");
    }

    public static TwinException preconditionFailed(String header, String value, long actualRevision) {
        return new TwinException(412, "things:precondition.failed",
                "The comparison of precondition header '" + header + "' for the requested Thing resource evaluated to false."
                        + " Header value: '" + value + "', actual entity-tag: '\"rev:" + actualRevision + "\"'.",
                "The comparison of the provided precondition header with the entity-tag evaluated to false.");
    }

    public static TwinException notModifiable(ThingId id, String why) {
        return new TwinException(403, "things:thing.notmodifiable",
                "The Thing with ID '" + id + "' could not be modified: " + why + ".",
                "A decommissioned thing is kept read-only with its history.");
    }

    public static TwinException invalid(String message, String description) {
        return new TwinException(400, "things:thing.invalid", message, description);
    }

    public static TwinException pathNotFound(ThingId id, String path) {
        return new TwinException(404, "things:path.notfound",
                "The path '" + path + "' of the Thing with ID '" + id + "' does not exist.",
                "Check the path and that the Thing has a value there.");
    }
}
