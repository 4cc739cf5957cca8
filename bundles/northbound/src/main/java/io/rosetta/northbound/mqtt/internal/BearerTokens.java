package io.rosetta.northbound.mqtt.internal;

import io.rosetta.api.ditto.DittoEnvelope;
import io.rosetta.api.security.ApiUser;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;
import io.rosetta.security.AccessControl;
import io.rosetta.security.Tokens;
import io.rosetta.security.Tokens.TokenInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who sent an MQTT command: the bearer token in the envelope's {@code authorization} header
 * ({@code "Bearer <token>"}, the header name in any case), checked against {@link Tokens} for every
 * command (a revoked or expired token stops working at once), with the grants of the token and of the
 * user it acts for ({@link AccessControl}). Passwords (HTTP Basic) are not accepted over MQTT: a command
 * is readable by every client the broker lets subscribe to the command topic, and a token, unlike a
 * user's password, can be limited to namespaces and revoked alone.
 */
final class BearerTokens {

    static final String HEADER = "authorization";
    private static final String BEARER = "Bearer ";

    private final Tokens tokens;
    private final AccessControl access;

    BearerTokens(Tokens tokens, AccessControl access) {
        this.tokens = tokens;
        this.access = access;
    }

    /**
     * @throws TwinException 401 {@code gateway:authentication.failed} without a valid bearer token
     */
    ApiUser authenticate(DittoEnvelope command) {
        String header = header(command);
        if (header == null || header.isBlank()) {
            throw unauthenticated("The command has no bearer token.");
        }
        String h = header.trim();
        if (h.length() <= BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthenticated("Only bearer tokens are accepted over MQTT.");
        }
        Optional<TokenInfo> token = tokens.verify(h.substring(BEARER.length()).trim());
        if (token.isEmpty()) {
            throw unauthenticated("The bearer token is not valid (unknown, revoked or expired).");
        }
        TokenInfo info = token.get();
        Set<String> subjects = info.user() == null ? Set.of(info.subject()) : Set.of(info.subject(), info.user());
        return new ApiUser(info.subject(), Set.of(), access.permissions(subjects, Set.of()));
    }

    private static String header(DittoEnvelope command) {
        for (Map.Entry<String, JsonValue> e : command.headers()) {
            if (e.getKey().equalsIgnoreCase(HEADER)) {
                return e.getValue() instanceof JsonString s ? s.value() : null;
            }
        }
        return null;
    }

    private static TwinException unauthenticated(String message) {
        return new TwinException(401, "gateway:authentication.failed", message,
                "Create a token with rosetta:token create <name> [--user <user>] and send it in the envelope's headers: "
                        + "\"authorization\":\"Bearer <token>\".");
    }
}
