package io.rosetta.api.internal.live;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.api.cfg}: the keys of the live APIs (SSE and the Ditto WebSocket). */
@ObjectClassDefinition(name = "Rosetta live API", description = "Server-sent events and the Ditto-protocol WebSocket")
public @interface LiveConfig {

    @AttributeDefinition(name = "Events kept for resuming", description = "How many recent events an SSE client can resume from with Last-Event-ID", min = "1")
    int live_resume_events() default 10_000;

    @AttributeDefinition(name = "Buffer per client", description = "Events queued for one SSE or WebSocket client; a client that falls further behind is disconnected (counted)", min = "1")
    int live_client_buffer() default 4096;

    @AttributeDefinition(name = "Pending commands per WebSocket", description = "Ditto commands of one WebSocket waiting to be executed; more are refused with 429", min = "1")
    int live_ws_max_pending() default 256;

    @AttributeDefinition(name = "Largest WebSocket message (bytes)", description = "Larger Ditto protocol messages are refused with 413; the socket stays open", min = "1")
    int live_ws_max_message_bytes() default 262_144;
}
