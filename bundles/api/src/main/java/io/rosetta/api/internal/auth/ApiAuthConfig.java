package io.rosetta.api.internal.auth;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.api.cfg}: how API users are authenticated. */
@ObjectClassDefinition(name = "Rosetta API authentication", description = "HTTP Basic authentication of API users against a Karaf JAAS realm")
public @interface ApiAuthConfig {

    @AttributeDefinition(name = "JAAS realm", description = "Name of the Karaf JAAS realm that checks the credentials")
    String auth_realm() default "karaf";

    @AttributeDefinition(name = "Login cache (s)", description = "How long a successful login is remembered; 0 logs in on every request", min = "0")
    int auth_cache_seconds() default 60;

    @AttributeDefinition(name = "Login cache size", description = "How many distinct credentials are remembered at most", min = "1")
    int auth_cache_size() default 1024;
}
