package io.rosetta.api.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/io.rosetta.api.cfg}: the things API's keys (the same file holds the {@code auth.*}
 * keys of {@link io.rosetta.api.internal.auth.ApiAuthConfig}).
 */
@ObjectClassDefinition(name = "Rosetta things API", description = "Ditto-compatible HTTP API v2 for things")
public @interface ApiConfig {

    @AttributeDefinition(name = "Default namespace", description = "Namespace of the things that POST /api/2/things creates with a generated id")
    String things_default_namespace() default "default";

    @AttributeDefinition(name = "Largest request body (bytes)", description = "Larger request bodies are refused with 413", min = "1")
    long http_max_body_bytes() default 102_400;
}
