package io.rosetta.api.security;

import io.rosetta.core.model.TwinException;

/** Checks the credentials of an HTTP request; shared by every route and handler of the API. */
public interface Authenticator {

    /** The value of {@code WWW-Authenticate} on a 401. */
    String CHALLENGE = "Basic realm=\"rosetta\"";

    /**
     * Authenticates the value of an {@code Authorization} header: HTTP Basic or a bearer token.
     *
     * @return the authenticated user, with its permissions
     * @throws TwinException with status 401 when the header is missing, malformed or wrong
     */
    ApiUser authenticate(String authorizationHeader);

    static TwinException unauthenticated(String message) {
        return new TwinException(401, "gateway:authentication.failed", message,
                "Send HTTP Basic credentials of a Rosetta user (etc/users.properties): Authorization: Basic base64(user:password), "
                        + "or a token from rosetta:token create: Authorization: Bearer <token>.");
    }
}
