package io.rosetta.api.security;

import java.util.Set;

/** Who made a request: the user's name and the roles JAAS gave them. */
public record ApiUser(String name, Set<String> roles) {

    public ApiUser {
        roles = Set.copyOf(roles);
    }
}
