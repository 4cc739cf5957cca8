package io.rosetta.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The embedded broker's configuration, PID {@code io.rosetta.broker} ({@code etc/io.rosetta.broker.cfg}). */
@ObjectClassDefinition(name = "Rosetta embedded MQTT broker", description = "Eclipse Moquette, MQTT 3.1.1, for zero-setup installations")
public @interface BrokerConfig {

    @AttributeDefinition(description = "Address to listen on; 127.0.0.1 keeps the broker local to this machine")
    String host() default EmbeddedBrokerSettings.DEFAULT_HOST;

    @AttributeDefinition(description = "MQTT port (TCP)", min = "1", max = "65535")
    int port() default EmbeddedBrokerSettings.DEFAULT_PORT;

    @AttributeDefinition(description = "Keep retained messages, subscriptions and queued QoS 1/2 messages across restarts")
    boolean persistence() default true;

    @AttributeDefinition(description = "Directory of the persistent store; ${karaf.data} is resolved")
    String dataDir() default EmbeddedBrokerSettings.DEFAULT_DATA_DIR;

    @AttributeDefinition(description = "Largest MQTT message accepted, in bytes", min = "1024")
    int maxMessageBytes() default EmbeddedBrokerSettings.DEFAULT_MAX_MESSAGE_BYTES;

    @AttributeDefinition(description = "Messages queued per client session before the broker drops them", min = "1")
    int sessionQueueSize() default EmbeddedBrokerSettings.DEFAULT_SESSION_QUEUE_SIZE;
}
