package io.rosetta.camel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/io.rosetta.camel.cfg}: where the one HTTP server of Rosetta listens — plain HTTP, HTTPS or
 * both, with the same routes on each — and how large a WebSocket frame may be.
 */
@ObjectClassDefinition(name = "Rosetta Camel runtime", description = "The Camel context and the HTTP server that serves REST, SSE and WebSocket")
public @interface CamelRuntimeConfig {

    @AttributeDefinition(name = "HTTP", description = "Serve plain HTTP (on http.port); when false, only HTTPS is served (plain HTTP stays on while HTTPS is off)")
    boolean http_enabled() default true;

    @AttributeDefinition(name = "HTTP port", description = "Port of the plain HTTP server (REST, SSE and WebSocket share it)", min = "0", max = "65535")
    int http_port() default 8181;

    @AttributeDefinition(name = "HTTP host", description = "Address the HTTP server binds to; 0.0.0.0 for all interfaces")
    String http_host() default "0.0.0.0";

    @AttributeDefinition(name = "HTTPS", description = "Serve HTTPS (on https.port) with the same routes as plain HTTP")
    boolean https_enabled() default true;

    @AttributeDefinition(name = "HTTPS port", min = "0", max = "65535")
    int https_port() default 8443;

    @AttributeDefinition(name = "HTTPS host", description = "Address the HTTPS server binds to; empty means the same as http.host")
    String https_host() default "";

    @AttributeDefinition(name = "Keystore", description = "Keystore file with the server's key and certificate; empty means "
            + "${karaf.etc}/rosetta-https.p12, generated with a self-signed certificate at first start")
    String https_keystore_path() default "";

    @AttributeDefinition(name = "Keystore password", description = "Password of the keystore and its key; empty means the password "
            + "is read from <keystore>.password (written when the keystore is generated)", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String https_keystore_password() default "";

    @AttributeDefinition(name = "Keystore type", description = "PKCS12 (or JKS)")
    String https_keystore_type() default "PKCS12";

    @AttributeDefinition(name = "Key alias", description = "Entry of the keystore to serve; empty means the first private key")
    String https_key_alias() default "";

    @AttributeDefinition(name = "Certificate names", description = "Extra DNS names or IP addresses (comma separated) put into a "
            + "generated certificate, beside localhost, 127.0.0.1, ::1 and this host's name")
    String https_certificate_names() default "";

    @AttributeDefinition(name = "WebSocket frame limit", description = "Largest WebSocket frame accepted, in bytes; a larger one closes "
            + "the socket with status 1009 (message too big)", min = "1024")
    int websocket_max_frame_bytes() default 1_048_576;

    @AttributeDefinition(name = "WebSocket message limit", description = "Largest WebSocket message (all its frames) that Vert.x "
            + "puts together for handlers that take whole messages, in bytes", min = "1024")
    int websocket_max_message_bytes() default 1_048_576;
}
