package io.rosetta.camel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.camel.cfg}: where the one HTTP server of Rosetta listens. */
@ObjectClassDefinition(name = "Rosetta Camel runtime", description = "The Camel context and the HTTP server that serves REST, SSE and WebSocket")
public @interface CamelRuntimeConfig {

    @AttributeDefinition(name = "HTTP port", description = "Port of the HTTP server (REST, SSE and WebSocket share it)", min = "0", max = "65535")
    int http_port() default 8181;

    @AttributeDefinition(name = "HTTP host", description = "Address the HTTP server binds to; 0.0.0.0 for all interfaces")
    String http_host() default "0.0.0.0";
}
