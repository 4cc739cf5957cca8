package io.rosetta.dynsec.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.dynsec.cfg}. */
@ObjectClassDefinition(name = "Rosetta Mosquitto dynamic security", description = "The device registry's MQTT clients and topic roles, "
        + "pushed to an external Mosquitto through its dynamic security plugin")
public @interface DynsecConfig {

    @AttributeDefinition(name = "Enabled", description = "Off by default: nothing connects until this is true")
    boolean enabled() default false;

    @AttributeDefinition(name = "Broker URL", description = "The Mosquitto with the dynamic security plugin: tcp://host:port or ssl://host:port")
    String url() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "Client id", description = "The MQTT client id of the administration connection")
    String client_id() default "rosetta-dynsec";

    @AttributeDefinition(name = "Admin user", description = "A Mosquitto client allowed to use $CONTROL/dynamic-security/# "
            + "(mosquitto_ctrl dynsec init creates one)")
    String username() default "";

    @AttributeDefinition(name = "Admin password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "Role prefix", description = "Each device gets the role <prefix><deviceId>; Mosquitto clients with a role "
            + "of this prefix are Rosetta's (a resync deletes those that no device has any more)")
    String role_prefix() default "rosetta-device-";

    @AttributeDefinition(name = "Device topics", description = "Topic filters of a device's role (comma-separated; placeholders "
            + "{deviceId}, {username}, {thingNamespace}, {thingName}); device.topics.<binding> for the devices of one binding; a device's "
            + "own configuration key mqttTopics comes first")
    String device_topics() default DeviceTopics.DEFAULT;

    @AttributeDefinition(name = "Commands per message", min = "1", max = "1000")
    int batch_size() default 50;

    @AttributeDefinition(name = "Commands awaiting an answer", min = "1", max = "100000")
    int window() default 500;

    @AttributeDefinition(name = "Queue", description = "Commands waiting while Mosquitto is slow or away; beyond this new ones are "
            + "dropped (counted; a resync repairs what it can)", min = "1")
    int queue_capacity() default 10_000;

    @AttributeDefinition(name = "Answer timeout (s)", min = "1")
    int response_timeout_seconds() default 10;

    @AttributeDefinition(name = "Resync on connect", description = "Reconcile Mosquitto with the registry after every (re)connection, "
            + "e.g. after Mosquitto restarted")
    boolean resync_on_connect() default true;

    @AttributeDefinition(name = "Keep-alive (s)", min = "1")
    int keep_alive_seconds() default 60;

    @AttributeDefinition(name = "Connect timeout (s)", min = "1")
    int connect_timeout_seconds() default 10;
}
