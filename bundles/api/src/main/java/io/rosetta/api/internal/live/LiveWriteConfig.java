package io.rosetta.api.internal.live;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/io.rosetta.api.cfg}: how a live client's connection is written ({@link LiveConnection}), keys next to
 * those of {@link LiveConfig}. A separate definition so that {@link LiveConfig} keeps its keys.
 */
@ObjectClassDefinition(name = "Rosetta live writes", description = "How events are written to each SSE or WebSocket client")
public @interface LiveWriteConfig {

    /** The key of {@link #live_client_linger_ms()} as it is written in the configuration. */
    String LINGER_KEY = "live.client.linger.ms";
    int DEFAULT_LINGER_MS = 1;

    @AttributeDefinition(name = "Linger per client (ms)", description = "An event that comes within this time after the previous write"
            + " to the same client waits until this time is up and is written together with the events that came meanwhile"
            + " (one wake-up and one socket write per batch instead of per event); an event after a quieter time is written at once;"
            + " 0 writes every event at once", min = "0")
    int live_client_linger_ms() default DEFAULT_LINGER_MS;
}
