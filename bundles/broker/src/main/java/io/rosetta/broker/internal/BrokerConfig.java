package io.rosetta.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

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

    @AttributeDefinition(description = "Clients without a username: auto (let in only when the device registry is not installed), "
            + "true, false", options = {
                @Option(label = "auto", value = "auto"), @Option(label = "true", value = "true"), @Option(label = "false", value = "false")})
    String allowAnonymous() default "auto";

    @AttributeDefinition(description = "Username of the service account that Rosetta's own connections (the MQTT binding) use "
            + "when devices are authenticated against the registry; it may use every topic")
    String serviceUsername() default "rosetta";

    @AttributeDefinition(description = "The service account's password as an Argon2id hash in PHC format "
            + "($argon2id$v=19$m=..,t=..,p=..$salt$hash); empty: no service account")
    String servicePasswordHash() default "";

    @AttributeDefinition(description = "Topic filters of registry devices (comma-separated; placeholders {deviceId}, {username}, "
            + "{thingNamespace}, {thingName}); deviceTopics.<binding> for the devices of one binding; a device's own "
            + "configuration key mqttTopics comes first")
    String deviceTopics() default DeviceTopicRules.DEFAULT;
}
