package io.rosetta.routes.internal;

/**
 * An endpoint with an RQL filter while the filter service (the search bundle) does not run. The route file is loaded
 * again when the service comes.
 */
final class FilterServiceMissingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    FilterServiceMissingException(String message) {
        super(message);
    }
}
