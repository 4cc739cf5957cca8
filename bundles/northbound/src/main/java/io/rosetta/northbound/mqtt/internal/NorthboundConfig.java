package io.rosetta.northbound.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.northbound.mqtt.cfg}. */
@ObjectClassDefinition(name = "Rosetta MQTT northbound", description = "Twin events to an MQTT broker as Ditto-protocol envelopes, "
        + "Ditto-protocol twin commands from it")
public @interface NorthboundConfig {

    @AttributeDefinition(name = "Enabled", description = "Off by default: nothing connects until this is true")
    boolean enabled() default false;

    @AttributeDefinition(name = "Broker URL", description = "tcp://host:port, or ssl://host:port (TLS, the JVM's trust store)")
    String url() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "Client id", description = "The MQTT client id; unique on the broker")
    String client_id() default "rosetta-northbound";

    @AttributeDefinition(name = "User name", description = "Broker login; empty for none")
    String username() default "";

    @AttributeDefinition(name = "Password", description = "Broker password; empty for none", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "QoS", description = "Quality of service of published events and responses and of the command "
            + "subscription (0, 1 or 2)", min = "0", max = "2")
    int qos() default 1;

    @AttributeDefinition(name = "Topic prefix", description = "Events go to <prefix>/<namespace>/<name>/things/twin/events/<action>, "
            + "commands come on <prefix>/commands/<client>, responses go to <prefix>/responses/<client>")
    String topic_prefix() default "rosetta";

    @AttributeDefinition(name = "Namespaces", description = "Comma-separated thing namespaces whose events are published; empty for all")
    String namespaces() default "";

    @AttributeDefinition(name = "Clean session", description = "false: the broker keeps the command subscription and queues "
            + "commands while Rosetta is away")
    boolean clean_session() default true;

    @AttributeDefinition(name = "Keep-alive (s)", min = "1")
    int keep_alive_seconds() default 60;

    @AttributeDefinition(name = "Connect timeout (s)", min = "1")
    int connect_timeout_seconds() default 10;

    @AttributeDefinition(name = "In-flight publications", description = "Publications awaiting the broker's acknowledgement at most",
            min = "1")
    int max_inflight() default 1000;

    @AttributeDefinition(name = "Event queue", description = "Events waiting while the broker is slow or away; when full the oldest "
            + "is dropped (counted)", min = "1")
    int queue_capacity() default 10_000;

    @AttributeDefinition(name = "Command queue", description = "Commands waiting to be executed; when full, further ones are "
            + "answered 429 (counted)", min = "1")
    int command_queue_capacity() default 1000;

    @AttributeDefinition(name = "Largest command (bytes)", description = "Larger command messages are answered 413 (counted)", min = "1")
    int max_command_bytes() default 262_144;
}
