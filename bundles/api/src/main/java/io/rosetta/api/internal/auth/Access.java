package io.rosetta.api.internal.auth;

import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.security.AccessLevel;

/**
 * The authorization rules of the API, applied after authentication: reading a thing needs READ on its
 * namespace (without it the thing does not exist for the caller: 404, as Ditto hides existence),
 * writing needs WRITE (403), and a caller who may read no namespace at all gets 403 on every read path.
 */
public final class Access {

    private Access() {
    }

    public static boolean mayRead(ApiUser user, ThingId id) {
        return user != null && user.permissions().allows(id.namespace(), AccessLevel.READ);
    }

    /** @throws TwinException 404 {@code things:thing.notfound} when the caller may not read the thing */
    public static void requireRead(ApiUser user, ThingId id) {
        if (!mayRead(check(user), id)) {
            throw TwinException.notFound(id);
        }
    }

    /** @throws TwinException 403 {@code things:thing.notmodifiable} without WRITE on the namespace */
    public static void requireWrite(ApiUser user, String namespace, String what) {
        if (!check(user).permissions().allows(namespace, AccessLevel.WRITE)) {
            throw new TwinException(403, "things:thing.notmodifiable",
                    "'" + user.name() + "' may not change " + what + ": no WRITE access on the namespace '" + namespace + "'.",
                    "Ask an administrator for a grant: rosetta:grant " + user.name() + " " + (namespace.isEmpty() ? "_" : namespace) + " WRITE");
        }
    }

    /** @throws TwinException 403 {@code gateway:access.forbidden} when the caller may read no namespace at all */
    public static void requireAnyRead(ApiUser user) {
        if (!check(user).permissions().readsAnything()) {
            throw new TwinException(403, "gateway:access.forbidden",
                    "'" + user.name() + "' has no access to any namespace.",
                    "Ask an administrator for a grant: rosetta:grant " + user.name() + " <namespace> READ");
        }
    }

    private static ApiUser check(ApiUser user) {
        if (user == null) {
            throw Authenticator.unauthenticated("Authentication is required.");
        }
        return user;
    }
}
